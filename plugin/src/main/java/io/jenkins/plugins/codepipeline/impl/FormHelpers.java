package io.jenkins.plugins.codepipeline.impl;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.FailureType;
import io.jenkins.plugins.codepipeline.core.Limits;
import io.jenkins.plugins.codepipeline.core.variables.VariablesFileFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;
import software.amazon.awssdk.regions.Region;

/** What the forms of the steps, the publisher and the global configuration share: lists and checks. */
public final class FormHelpers {
    private static final Pattern JOB_ID = Pattern.compile(Limits.JOB_ID_PATTERN);
    private static final Pattern VARIABLE_NAME = Pattern.compile(Limits.OUTPUT_VARIABLE_KEY_PATTERN);

    private FormHelpers() {
    }

    /** Configuring a job, or the system when there is no job: what every form method of this plugin asks for. */
    public static void checkConfigurePermission(@CheckForNull Item item) {
        if (item == null) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        } else {
            item.checkPermission(Item.CONFIGURE);
        }
    }

    /**
     * Whether the current user may configure the item (administer Jenkins when there is none). A form check answers
     * only then: the Snippet Generator and the Declarative Directive Generator show the forms to readers of the job,
     * whose checks get an empty {@link FormValidation#ok()} rather than a 403 (the checks stay {@code @POST}).
     */
    public static boolean mayConfigure(@CheckForNull Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }

    /**
     * The region check of the connection settings, as every form (steps, freestyle action, trigger) makes it: for
     * those who may configure {@code item}, else nothing to say.
     */
    public static FormValidation checkRegion(@CheckForNull Item item, @CheckForNull String value) {
        return mayConfigure(item) ? checkRegion(value) : FormValidation.ok();
    }

    /** The endpoint check of the connection settings: see {@link #checkRegion(Item, String)}. */
    public static FormValidation checkEndpointUrl(@CheckForNull Item item, @CheckForNull String value) {
        return mayConfigure(item) ? checkEndpointUrl(value) : FormValidation.ok();
    }

    /**
     * The region list of the connection settings, as every form shows it: a fixed list, for readers of the item
     * (the Snippet Generator); {@code emptyLabel} says what a blank region means there.
     */
    public static ListBoxModel regionItems(@CheckForNull Item item, @CheckForNull String current, String emptyLabel) {
        checkReadPermission(item);
        return regionItems(current, emptyLabel);
    }

    /**
     * Reading the job, or Jenkins when there is no job: enough for the fixed lists of the steps' forms (regions,
     * failure types, file formats), which the Snippet Generator shows to anyone who may read the job.
     */
    public static void checkReadPermission(@CheckForNull Item item) {
        if (item == null) {
            Jenkins.get().checkPermission(Jenkins.READ);
        } else {
            item.checkPermission(Item.READ);
        }
    }

    /** The SDK's regions, sorted, after an empty choice that means "the default" described by {@code emptyLabel}. */
    public static ListBoxModel regionItems(@CheckForNull String current, String emptyLabel) {
        ListBoxModel items = new ListBoxModel();
        items.add(emptyLabel, "");
        Region.regions().stream().map(Region::id).sorted().forEach(items::add);
        String value = Util.fixEmptyAndTrim(current);
        if (value != null && items.stream().noneMatch(option -> option.value.equals(value))) {
            items.add(value); // a region newer than the SDK, or an expression
        }
        return items;
    }

    public static ListBoxModel failureTypeItems() {
        ListBoxModel items = new ListBoxModel();
        for (FailureType type : FailureType.values()) {
            items.add(type.awsName());
        }
        return items;
    }

    public static ListBoxModel fileFormatItems() {
        ListBoxModel items = new ListBoxModel();
        for (VariablesFileFormat format : VariablesFileFormat.values()) {
            items.add(format.displayName());
        }
        return items;
    }

    /** May the current user list credentials here? As the credentials consumer guide says. */
    private static boolean mayListCredentials(@CheckForNull Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    /**
     * AWS credentials and username/password credentials (access key id / secret key) visible in {@code item}, or
     * globally when it is null; as the credentials consumer guide describes. Without permission to list them, only
     * the current value.
     */
    public static ListBoxModel credentialsItems(@CheckForNull Item item, @CheckForNull String current) {
        if (!mayListCredentials(item)) {
            return new StandardListBoxModel().includeCurrentValue(current == null ? "" : current);
        }
        Authentication authentication = item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
        StandardListBoxModel model = new StandardListBoxModel();
        model.includeEmptyValue();
        if (item == null) {
            model.includeMatchingAs(authentication, Jenkins.get(), StandardCredentials.class, Collections.emptyList(),
                    usableCredentials());
        } else {
            model.includeMatchingAs(authentication, item, StandardCredentials.class, Collections.emptyList(),
                    usableCredentials());
        }
        model.includeCurrentValue(current == null ? "" : current);
        return model;
    }

    public static FormValidation checkCredentialsId(@CheckForNull Item item, @CheckForNull String value) {
        String id = Util.fixEmptyAndTrim(value);
        if (id == null || !mayListCredentials(item)) {
            return FormValidation.ok();
        }
        if (id.startsWith("${") && id.endsWith("}")) {
            return FormValidation.warning("An expression: it is looked up when the build runs.");
        }
        Authentication authentication = item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
        ListBoxModel found = item == null
                ? CredentialsProvider.listCredentialsInItemGroup(StandardCredentials.class, Jenkins.get(), authentication,
                        Collections.emptyList(), CredentialsMatchers.allOf(CredentialsMatchers.withId(id), usableCredentials()))
                : CredentialsProvider.listCredentialsInItem(StandardCredentials.class, item, authentication,
                        Collections.emptyList(), CredentialsMatchers.allOf(CredentialsMatchers.withId(id), usableCredentials()));
        if (found.isEmpty()) {
            return FormValidation.error("No AWS or username/password credentials with id '" + id + "' are visible here.");
        }
        return FormValidation.ok();
    }

    private static com.cloudbees.plugins.credentials.CredentialsMatcher usableCredentials() {
        return CredentialsMatchers.anyOf(CredentialsMatchers.instanceOf(AmazonWebServicesCredentials.class),
                CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class));
    }

    /** A job id, blank (then {@code CODEPIPELINE_JOB_ID} is used) or an expression expanded at run time. */
    public static FormValidation checkJobId(@CheckForNull String value) {
        String jobId = Util.fixEmptyAndTrim(value);
        if (jobId == null) {
            return FormValidation.ok("Blank: the build's CODEPIPELINE_JOB_ID parameter is used.");
        }
        if (jobId.contains("${")) {
            return FormValidation.ok();
        }
        if (JOB_ID.matcher(jobId).matches()) {
            return FormValidation.ok();
        }
        if (JOB_ID.matcher(jobId.toLowerCase(Locale.ROOT)).matches()) {
            return FormValidation.error("CodePipeline job ids are lower case: " + jobId.toLowerCase(Locale.ROOT));
        }
        return FormValidation.error("Not a CodePipeline job id (a lower-case UUID such as "
                + "0a1b2c3d-1111-2222-3333-444455556666), nor an expression such as ${CODEPIPELINE_JOB_ID}.");
    }

    public static FormValidation checkVariableName(@CheckForNull String value) {
        String name = Util.fixEmptyAndTrim(value);
        if (name == null) {
            return FormValidation.error("A variable needs a name.");
        }
        if (name.contains("${")) {
            return FormValidation.ok();
        }
        if (!VARIABLE_NAME.matcher(name).matches()) {
            return FormValidation.error("CodePipeline allows only letters, digits, @, - and _ in variable names, "
                    + "for example " + name.replaceAll("[^A-Za-z0-9@\\-_]", "_"));
        }
        return FormValidation.ok();
    }

    public static FormValidation checkPercentComplete(@CheckForNull String value) {
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok();
        }
        return checkIntegerRange(value, Limits.PERCENT_COMPLETE_MIN, Limits.PERCENT_COMPLETE_MAX);
    }

    public static FormValidation checkIntegerRange(@CheckForNull String value, int min, int max) {
        String text = Util.fixEmptyAndTrim(value);
        try {
            int number = Integer.parseInt(text == null ? "" : text);
            if (number >= min && number <= max) {
                return FormValidation.ok();
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return FormValidation.error("Give a whole number from " + min + " to " + max + ".");
    }

    public static FormValidation checkRegion(@CheckForNull String value) {
        String region = Util.fixEmptyAndTrim(value);
        if (region == null || region.contains("${")) {
            return FormValidation.ok();
        }
        try {
            return ConnectionSettings.builder().region(region).build().regionWarning()
                    .map(FormValidation::warning).orElse(FormValidation.ok());
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    public static FormValidation checkEndpointUrl(@CheckForNull String value) {
        String url = Util.fixEmptyAndTrim(value);
        if (url == null || url.contains("${")) {
            return FormValidation.ok();
        }
        try {
            ConnectionSettings.parseEndpoint(url);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /**
     * The names/globs of environment variables as a step or publisher keeps them: from a Pipeline list (whose items
     * may be GStrings or numbers) or the form's text, split at lines and commas; null when there are none. A mutable
     * list, as Jenkins' XStream expects in saved configuration.
     */
    public static ArrayList<String> environmentSelectors(@CheckForNull List<?> selectors) {
        if (selectors == null) {
            return null;
        }
        List<String> names = splitNames(selectors.stream().map(String::valueOf).collect(Collectors.joining("\n")));
        return names.isEmpty() ? null : new ArrayList<>(names);
    }

    /** Lines or commas of a form's text area, trimmed, blanks dropped: the names/globs of environment variables. */
    public static List<String> splitNames(@CheckForNull Object text) {
        if (text == null) {
            return List.of();
        }
        return Pattern.compile("[\\r\\n,]+").splitAsStream(text.toString()).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }
}
