package io.dormant.adapters.deb.cacerts;

import io.dormant.adapters.deb.debconf.DebconfDatabases;
import io.dormant.adapters.deb.debconf.DebconfException;
import io.dormant.adapters.deb.debconf.DebconfItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What ca-certificates' config script and the debconf part of its postinst do to the debconf
 * database in a non-interactive run (DEBIAN_FRONTEND=noninteractive, as the confine tier runs
 * scripts): {@code db_input} + {@code db_go} keep a question's value (or take its default),
 * new certificates are trusted or not by {@code trust_new_crts}, and the answer is the list of
 * available and of enabled certificates that the postinst writes to /etc/ca-certificates.conf.
 * {@code ask} with new certificates would put a question to nobody; it is refused. Strings are
 * bytes as ISO-8859-1 characters, the way debconf (Perl) and the C.UTF-8 sort see them.
 */
final class CaCertificatesDebconf {

    static final String TRUST_NEW = "ca-certificates/trust_new_crts";
    static final String ENABLE = "ca-certificates/enable_crts";
    static final String NEW = "ca-certificates/new_crts";

    /** The postinst's CERTS_AVAILABLE and CERTS_ENABLED after debconf. */
    record Answers(String available, String enabled) {
    }

    private final DebconfDatabases db;

    CaCertificatesDebconf(DebconfDatabases db) {
        this.db = db;
    }

    /**
     * The config script: conf is /etc/ca-certificates.conf's lines, shipped the certificate files
     * under /usr/share/ca-certificates, certsList the script's own CERTS_LIST.
     */
    void config(List<String> conf, List<String> shipped, String certsList) throws DebconfException, CertificateFormatException {
        Set<String> disabled = new TreeSet<>();
        Set<String> trusted = new TreeSet<>();
        for (String line : conf) {
            if (line.startsWith("!")) {
                disabled.add(line.substring(1));
            } else if (!line.startsWith("#")) {
                trusted.add(line);
            }
        }
        selectShow(TRUST_NEW);
        String trustNew = orEmpty(db.value(TRUST_NEW));
        String seen = db.question(ENABLE).flag("seen");

        TreeSet<String> crts = new TreeSet<>();
        crts.addAll(shipped);
        crts.addAll(CommaList.eachValue(certsList));
        List<String> available = new ArrayList<>();
        List<String> enabled = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        for (String crt : crts) {
            if (crt.isEmpty()) {
                continue; // the shell's word splitting drops it
            }
            if (crt.matches("(?ds).*[ \\t\\n*?\\[\\\\].*")) {
                throw new CertificateFormatException("a certificate name the config script's for loop would split or expand: " + crt);
            }
            available.add(crt);
            if (disabled.contains(crt)) {
                continue;
            }
            if (trusted.contains(crt) || trustNew.equals("yes")) {
                enabled.add(crt);
            } else if (trustNew.equals("ask")) {
                fresh.add(crt);
            }
        }
        String certsEnabled = String.join(", ", enabled);
        String enableCrts = orEmpty(db.value(ENABLE));
        if (!fresh.isEmpty()) {
            throw new CertificateFormatException("trust_new_crts is ask and there are new certificates to ask about");
        }
        db.question(NEW).setVariable("new_crts", "");
        if (trustNew.equals("ask")) {
            certsEnabled = enableCrts; // no new certificate: members of an empty list is true, new_seen=true
        }
        db.question(NEW).setFlag("seen", "true");
        db.question(ENABLE).setField("value", CommaList.overProtocol(certsEnabled));
        db.question(ENABLE).setVariable("enable_crts", CommaList.overProtocol(String.join(", ", available)));
        if (!seen.equals("true")) {
            db.question(ENABLE).setFlag("seen", "false");
        }
        // db_input low + db_go: a multiselect keeps the value just set.
    }

    /** The postinst's debconf part: the answers, and new_crts unseen again for the next run. */
    Answers postinst() throws DebconfException, CertificateFormatException {
        DebconfItem template = db.template(db.question(ENABLE).field("template"));
        for (String field : template.fieldNames()) {
            if (field.startsWith("choices-")) {
                throw new CertificateFormatException("enable_crts has translated choices, picked by locale");
            }
        }
        String available = expand(orEmpty(template.field("choices")), db.question(ENABLE));
        String enabled = orEmpty(db.value(ENABLE));
        if ((available + enabled).contains("\\")) {
            throw new CertificateFormatException("a backslash in the debconf answers, which the shell's echo changes");
        }
        db.question(NEW).setFlag("seen", "false");
        return new Answers(available, enabled);
    }

    /** Noninteractive::Select: the value when it is one of the (untranslated) choices, else the first choice. */
    private void selectShow(String name) throws DebconfException {
        DebconfItem question = db.question(name);
        DebconfItem template = db.template(question.field("template"));
        String raw = template.field("choices-c") != null ? template.field("choices-c") : orEmpty(template.field("choices"));
        List<String> choices = choicesSplit(expand(raw, question));
        String value = orEmpty(db.value(name));
        question.setField("value", choices.contains(value) ? value : choices.isEmpty() ? "" : choices.get(0));
    }

    /** Question->choices_split: ", " separates, backslash escapes a comma or blank. */
    private static List<String> choicesSplit(String choices) throws DebconfException {
        if (choices.contains("\\")) {
            throw new DebconfException("escaped choices");
        }
        List<String> items = new ArrayList<>(List.of(choices.split(",[ \\t\\n\\r\\f]+", -1)));
        if (!items.isEmpty() && items.get(items.size() - 1).isEmpty()) {
            items.remove(items.size() - 1);
        }
        return items;
    }

    /** Question->_expand_vars: ${name} is the question's variable (nothing when unset). */
    private static String expand(String text, DebconfItem question) throws DebconfException {
        if (text.contains("\\")) {
            throw new DebconfException("an escaped ${} in a template");
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^{}]+)\\}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = question.variable(m.group(1));
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value == null ? "" : value));
        }
        return m.appendTail(out).toString();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
