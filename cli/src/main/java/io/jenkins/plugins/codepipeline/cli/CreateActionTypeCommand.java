package io.jenkins.plugins.codepipeline.cli;

import io.jenkins.plugins.codepipeline.core.ApacheHttpClientFactory;
import io.jenkins.plugins.codepipeline.core.AwsErrorMessages;
import io.jenkins.plugins.codepipeline.core.CodePipelineClientCache;
import io.jenkins.plugins.codepipeline.core.ConnectionSettings;
import io.jenkins.plugins.codepipeline.core.RetryStrategies;
import io.jenkins.plugins.codepipeline.core.worker.ActionTypeId;
import io.jenkins.plugins.codepipeline.core.worker.CustomActionTypeDefinition;
import io.jenkins.plugins.codepipeline.core.worker.JobQuery;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codepipeline.model.CreateCustomActionTypeRequest;
import software.amazon.awssdk.services.codepipeline.model.CreateCustomActionTypeResponse;

@Command(name = "create-action-type", sortOptions = false, showDefaultValues = true,
        header = "Create the custom action type whose jobs Jenkins (or 'codepipeline-job worker') takes.",
        synopsisHeading = "%nUsage: ",
        descriptionHeading = "%n",
        description = {
            "Calls CreateCustomActionType with the definition the Jenkins plugin expects: one required, queryable, "
                    + "non-secret configuration property (--query-name), 0-5 input and 0-5 output artifacts, and "
                    + "links from the pipeline's console to the Jenkins job "
                    + "(<jenkins-url>codepipeline/project/{Config:<query-name>}) and to the build "
                    + "(<jenkins-url>codepipeline/build/{ExternalExecutionId}).",
            "",
            "stdout gets the created action type as JSON (with --dry-run: the request, as 'aws codepipeline "
                    + "create-custom-action-type --cli-input-json' takes it); everything else goes to stderr. The "
                    + "IAM policy needs codepipeline:CreateCustomActionType."},
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the action type was created (with --dry-run: the request was printed)",
            "1:CodePipeline refused it (for example, it exists already), or it could not be sent",
            "2:refused before sending (bad options); nothing was sent"})
final class CreateActionTypeCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    @Mixin
    ActionTypeOptions actionType = new ActionTypeOptions();

    @Option(names = "--jenkins-url", paramLabel = "URL", required = true, order = 4,
            description = "The Jenkins root URL the pipeline's console links to, such as "
                    + "https://jenkins.example.com/ (http or https; a missing final / is added).")
    String jenkinsUrl;

    @Option(names = "--query-name", paramLabel = "NAME", order = 5, defaultValue = JobQuery.DEFAULT_NAME,
            description = "Name of the queryable configuration property a pipeline's action sets to pick the "
                    + "Jenkins job (1-50 letters, digits, _ and -).")
    String queryName;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--dry-run", order = 200,
            description = "Print the request as JSON on stdout; send nothing. Needs no credentials.")
    boolean dryRun;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 300, description = "Show this help and exit.")
    boolean help;

    CreateActionTypeCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        return CommandStreams.run(spec, this::run);
    }

    private int run(PrintWriter out, PrintWriter err) {
        ActionTypeId type;
        URI jenkins;
        String query;
        ConnectionSettings settings;
        CreateCustomActionTypeRequest request;
        try {
            type = actionType.actionType();
            jenkins = jenkinsUrl();
            query = queryName();
            settings = connection.settings(env);
            try {
                request = CustomActionTypeDefinition.request(type, jenkins, query);
            } catch (IllegalArgumentException e) {
                throw new LocalProblem(e.getMessage());
            }
        } catch (LocalProblem e) {
            err.println("CreateCustomActionType not sent: " + e.getMessage());
            return ExitCodes.REFUSED_LOCALLY;
        }
        if (dryRun) {
            out.println(CustomActionTypeDefinition.json(type, jenkins, query));
            err.println("Dry run: nothing sent. This CreateCustomActionType request for " + type.describe()
                    + " would go to " + settings.endpointDescription() + " in region " + settings.region()
                    + " (region from " + connection.regionSource + ").");
            return ExitCodes.DELIVERED;
        }
        return send(type, request, settings, out, err);
    }

    private URI jenkinsUrl() throws LocalProblem {
        String text = jenkinsUrl == null ? "" : jenkinsUrl.trim();
        if (!text.isEmpty() && !text.endsWith("/")) {
            text += "/";
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new LocalProblem("--jenkins-url '" + jenkinsUrl + "' is not an http(s) URL with a host and no "
                        + "query; give Jenkins' root URL, such as https://jenkins.example.com/");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new LocalProblem("--jenkins-url '" + jenkinsUrl + "' is malformed (" + e.getReason() + "); give "
                    + "Jenkins' root URL, such as https://jenkins.example.com/");
        }
    }

    private String queryName() throws LocalProblem {
        try {
            return new JobQuery(queryName, null).name();
        } catch (IllegalArgumentException e) {
            throw new LocalProblem("--query-name: " + e.getMessage());
        }
    }

    private int send(ActionTypeId type, CreateCustomActionTypeRequest request, ConnectionSettings settings,
            PrintWriter out, PrintWriter err) {
        AwsCredentialsProvider provider = null;
        try (CodePipelineClientCache clients = new CodePipelineClientCache(new ApacheHttpClientFactory());
                CodePipelineClientCache.Lease lease = clients.acquire(settings)) {
            provider = env.credentials().get();
            AwsCredentials session;
            try {
                session = provider.resolveCredentials();
            } catch (RuntimeException e) {
                err.println("Could not get AWS credentials: " + AwsErrorMessages.rootMessage(e) + ". Nothing was "
                        + "sent; check the credentials.");
                return ExitCodes.NOT_DELIVERED;
            }
            CreateCustomActionTypeRequest signed = request.toBuilder().overrideConfiguration(
                    AwsRequestOverrideConfiguration.builder()
                            .credentialsProvider(StaticCredentialsProvider.create(session)).build()).build();
            RetryStrategies.Retries retries = RetryStrategies.start(
                    RetryStrategies.standard(settings.maxAttempts(), null, null).build(),
                    "codepipeline-create-action-type");
            boolean unanswered = false;
            for (int attempt = 1; ; attempt++) {
                SdkException failure;
                try {
                    CreateCustomActionTypeResponse response = lease.client().createCustomActionType(signed);
                    out.println(SdkJson.toJson(response));
                    err.println("Created custom action type " + type.describe() + " in " + settings.region()
                            + " (AWS request id " + response.responseMetadata().requestId() + ")");
                    return ExitCodes.DELIVERED;
                } catch (AbortedException e) {
                    err.println("Aborted while creating " + type.describe() + ": check with ListActionTypes whether "
                            + "it was created.");
                    return ExitCodes.NOT_DELIVERED;
                } catch (SdkException e) {
                    failure = e;
                }
                Optional<Duration> retry = retries.retryAfter(failure);
                if (retry.isEmpty()) {
                    err.println(describeFailure(type, settings, failure, attempt, unanswered, session));
                    return ExitCodes.NOT_DELIVERED;
                }
                Duration delay = retry.get();
                unanswered |= !(failure instanceof AwsServiceException);
                err.println("Attempt " + attempt + " of " + settings.maxAttempts() + " failed ("
                        + describeBriefly(failure) + "); retrying in " + delay.toMillis() + " ms");
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    err.println("Interrupted while creating " + type.describe() + ".");
                    return ExitCodes.NOT_DELIVERED;
                }
            }
        } finally {
            CliEnvironment.close(provider);
        }
    }

    private static String describeBriefly(SdkException failure) {
        if (failure instanceof AwsServiceException service) {
            return AwsErrorMessages.errorCode(service) + ": " + AwsErrorMessages.awsMessage(service);
        }
        return "no answer: " + AwsErrorMessages.rootMessage(failure);
    }

    private static String describeFailure(ActionTypeId type, ConnectionSettings settings, SdkException failure,
            int attempts, boolean unanswered, AwsCredentials session) {
        StringBuilder message = new StringBuilder("CreateCustomActionType for ").append(type.describe())
                .append(" in ").append(settings.region()).append(" failed after ").append(attempts)
                .append(" attempt(s): ").append(describeBriefly(failure));
        if (failure instanceof AwsServiceException service) {
            message.append(" (AWS request id ").append(service.requestId()).append(", access key ")
                    .append(session.accessKeyId()).append(')');
            if (unanswered && "ValidationException".equals(AwsErrorMessages.errorCode(service))) {
                message.append(". An earlier attempt got no answer and may have created it: check with "
                        + "'aws codepipeline list-action-types --action-owner-filter Custom'.");
            }
        } else {
            message.append(". Nothing is known to have arrived; check the endpoint ")
                    .append(settings.endpointDescription()).append(" and the network.");
        }
        return message.toString();
    }
}
