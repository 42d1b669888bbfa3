package io.dormant.adapters.deb;

/**
 * A package interested in a trigger, from triggers/File (file triggers) or triggers/&lt;name&gt;
 * (explicit triggers).
 *
 * @param trigger an absolute path for a file trigger, a name for an explicit one
 * @param noawait written as "package/noawait": activators need not wait for the trigger to be processed
 */
public record DpkgTriggerInterest(String trigger, String packageName, boolean noawait) {

    static DpkgTriggerInterest parse(String trigger, String word) {
        int slash = word.indexOf('/');
        boolean noawait = slash >= 0 && word.substring(slash + 1).equals("noawait");
        return new DpkgTriggerInterest(trigger, slash < 0 ? word : word.substring(0, slash), noawait);
    }
}
