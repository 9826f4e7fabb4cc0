package io.jenkins.plugins.codepipeline.core.worker;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.codepipeline.model.ActionCategory;
import software.amazon.awssdk.services.codepipeline.model.ActionOwner;

/**
 * A custom action type (owner is always Custom). Checked when built: the category must be one CodePipeline knows,
 * provider and version must fit the service model's patterns. A category in another case ({@code build}) is
 * accepted and spelled as CodePipeline spells it.
 *
 * @param category one of {@link #CATEGORIES}
 * @param provider 1–35 letters, digits, _ and -, such as {@code Jenkins}
 * @param version  1–9 letters, digits, _ and -, such as {@code 1}
 */
public record ActionTypeId(String category, String provider, String version) implements Serializable {
    /**
     * The service model's categories ({@link ActionCategory#knownValues()} of the SDK the worker is built with), in
     * the console's order: Source, Build, Deploy, Test, Invoke, Approval, Compute, then any category a newer SDK adds.
     */
    public static final List<String> CATEGORIES = categories();
    public static final String OWNER = "Custom";
    public static final int PROVIDER_MAX = 35;
    public static final int VERSION_MAX = 9;

    public ActionTypeId {
        category = checkCategory(category);
        provider = Names.check("provider", provider, PROVIDER_MAX, "Jenkins");
        version = Names.check("version", version, VERSION_MAX, "1");
    }

    /** The SDK's action type id of a job or listing; owner is not checked. */
    public static ActionTypeId fromSdk(software.amazon.awssdk.services.codepipeline.model.ActionTypeId id) {
        return new ActionTypeId(id.categoryAsString(), id.provider(), id.version());
    }

    /** As the console shows it: {@code Build/Custom/Jenkins/1}. */
    public String describe() {
        return category + "/" + OWNER + "/" + provider + "/" + version;
    }

    public software.amazon.awssdk.services.codepipeline.model.ActionTypeId toSdk() {
        return software.amazon.awssdk.services.codepipeline.model.ActionTypeId.builder()
                .category(category).owner(ActionOwner.CUSTOM).provider(provider).version(version).build();
    }

    private static List<String> categories() {
        List<String> usual = List.of("Source", "Build", "Deploy", "Test", "Invoke", "Approval", "Compute");
        List<String> known = new ArrayList<>();
        for (ActionCategory category : ActionCategory.knownValues()) {
            known.add(category.toString());
        }
        // The usual ones in the usual order; a category that list does not know after them, as the SDK has it.
        known.sort(Comparator.comparingInt(name -> usual.contains(name) ? usual.indexOf(name) : usual.size()));
        return List.copyOf(known);
    }

    private static String checkCategory(String category) {
        String given = category == null ? "" : category.trim();
        for (String known : CATEGORIES) {
            if (known.equalsIgnoreCase(given)) {
                return known;
            }
        }
        throw new IllegalArgumentException((given.isEmpty() ? "category is missing"
                : "category '" + Names.printable(given) + "' is not an action category of CodePipeline")
                + "; give one of " + String.join(", ", CATEGORIES) + ", the category the custom action type was "
                + "created with");
    }

    // Written out: the generated ones cost a fresh JVM (the command line) a bootstrap on first use, as a map key.
    @Override
    public boolean equals(Object other) {
        return other instanceof ActionTypeId a && category.equals(a.category) && provider.equals(a.provider)
                && version.equals(a.version);
    }

    @Override
    public int hashCode() {
        return (category.hashCode() * 31 + provider.hashCode()) * 31 + version.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
