package io.dormant.engine.approvals;

import io.dormant.engine.identity.DormantGroup;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.identity.Authentication;

/**
 * The rule of every approval: a logged-in image admin decides, and never the user who started the
 * run. Checked when the task completes, so it holds for Tasklist, Dormant's API and Camunda's REST
 * alike; a refused completion rolls back and the task stays open.
 */
public final class FourEyes {

    public static final String APPROVED = "approved";
    public static final String COMMENT = "comment";

    private FourEyes() {
    }

    /** The user deciding the task, once the rule holds. */
    public static String decider(DelegateTask task) {
        Authentication current = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        if (current == null || current.getUserId() == null) {
            throw new ProcessEngineException("an approval must be given by a logged-in user of the group image-admins");
        }
        String user = current.getUserId();
        List<String> groups = current.getGroupIds() == null ? List.of() : current.getGroupIds();
        if (!groups.contains(DormantGroup.IMAGE_ADMINS.id())) {
            throw new ProcessEngineException("user " + user + " is not in the group image-admins and may not decide approvals");
        }
        Object starter = task.getVariable("starter");
        if (user.equals(starter)) {
            throw new ProcessEngineException("four eyes: " + user + " started this run and may not approve or reject it;"
                    + " another member of image-admins must decide");
        }
        if (!(task.getVariable(APPROVED) instanceof Boolean)) {
            throw new ProcessEngineException("the decision needs the variable '" + APPROVED + "' set to true or false");
        }
        return user;
    }

    public static boolean approved(DelegateTask task) {
        return Boolean.TRUE.equals(task.getVariable(APPROVED));
    }

    public static String comment(DelegateTask task) {
        Object comment = task.getVariable(COMMENT);
        return comment == null ? "" : comment.toString();
    }
}
