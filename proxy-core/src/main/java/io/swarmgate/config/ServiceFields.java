package io.swarmgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every field of a service, once, in the order of Docker Flow Proxy's {@code Service} (its JSON key order), then
 * Swarmgate's own, which DFP's answers do not carry. A service-level parameter matches in any case, as DFP's form
 * decoder matches Go field names; the label is {@code com.df.<parameter>}, the variable {@code DFP_SERVICE_<NAME>}.
 *
 * <p>To add a service field: declare it here and give it behaviour ({@code RouteCompiler} or {@code RouteRules}, and
 * {@code ServiceValidation} for a rule that involves other fields).
 */
public final class ServiceFields {
    /** What DFP's answers show instead of a secret: passwords and a certificate's private key. */
    public static final String MASK = "***";

    private static final String NO_TEMPLATES =
            "Swarmgate renders no HAProxy templates; express the routes with reconfigure parameters";
    private static final FieldList LIST = new FieldList();

    /** Orders the service's rules; empty means {@code serviceName} (see {@link ServiceSpec#formatted()}). */
    public static final Field<String> ACL_NAME = add(Field.text("aclName", "AclName"));
    /** Request headers to add; DFP's deprecated {@code addHeader} when not given. */
    public static final Field<List<String>> ADD_REQ_HEADER = add(list("addReqHeader", "AddReqHeader")
            .alias("addHeader"));
    public static final Field<List<String>> ADD_RES_HEADER = add(list("addResHeader", "AddResHeader"));
    public static final Field<String> BACKEND_EXTRA = add(Field.text("backendExtra", "BackendExtra")
            .unsupported("raw HAProxy backend lines have no equivalent here; express the rule with reconfigure "
                    + "parameters (allowedMethods, deniedMethods, denyHttp, setReqHeader, users, …)"));
    public static final Field<Boolean> CHECK_RESOLVERS = add(Field.bool("checkResolvers", "CheckResolvers"));
    public static final Field<String> COMPRESSION_ALGO = add(Field.text("compressionAlgo", "CompressionAlgo"));
    public static final Field<String> COMPRESSION_TYPE = add(Field.text("compressionType", "CompressionType"));
    public static final Field<String> CONNECTION_MODE = add(Field.text("connectionMode", "ConnectionMode"));
    static final Field<Object> DEBUG = add(Field.rendering("Debug", false));
    static final Field<Object> DEBUG_FORMAT = add(Field.rendering("DebugFormat", ""));
    public static final Field<List<String>> DEL_REQ_HEADER = add(list("delReqHeader", "DelReqHeader"));
    public static final Field<List<String>> DEL_RES_HEADER = add(list("delResHeader", "DelResHeader"));
    /** {@code DNS} to balance over tasks, otherwise the service's VIP. */
    public static final Field<String> DISCOVERY_TYPE = add(Field.text("discoveryType", "DiscoveryType")
            .checking((name, type) -> {
                String lower = type.toLowerCase(Locale.ROOT);
                if (!lower.isEmpty() && !lower.equals("dns") && !lower.equals("overlay") && !lower.equals("vip")) {
                    throw ParameterValues.invalid(name, type, "DNS, or Overlay for the service's VIP");
                }
            }));
    /** Whether the request asks to be fanned out to every proxy replica. */
    public static final Field<Boolean> DISTRIBUTE = add(Field.bool("distribute", "Distribute"));
    public static final Field<Boolean> IS_DEFAULT_BACKEND = add(Field.bool("isDefaultBackend", "IsDefaultBackend"));
    public static final Field<String> PROXY_INSTANCE_NAME =
            add(Field.text("proxyInstanceName", "ProxyInstanceName"));
    public static final Field<Boolean> REDIRECT_WHEN_HTTP_PROTO =
            add(Field.bool("redirectWhenHttpProto", "RedirectWhenHttpProto"));
    public static final Field<Boolean> REDIRECT_UNLESS_HTTPS_PROTO =
            add(Field.bool("redirectUnlessHttpsProto", "RedirectUnlessHttpsProto"));
    /**
     * The replica count as the listener saw it, 0 when not given (then {@link #GLOBAL}); -1 for services from the
     * environment, which are never removed by a count.
     */
    public static final Field<Integer> REPLICAS = add(Field.of("replicas", "Replicas", Field.Kind.INT, 0,
            (name, raw, context) -> raw.isEmpty() ? 0 : ParameterValues.nonNegative(name, raw))
            .checking((name, replicas) -> {
                if (replicas < -1) {
                    throw ParameterValues.invalid(name, String.valueOf(replicas), "a whole number, 0 or more");
                }
            }));
    public static final Field<String> REQ_PATH_REPLACE = add(Field.text("reqPathReplace", "ReqPathReplace"));
    public static final Field<String> REQ_PATH_SEARCH = add(Field.text("reqPathSearch", "ReqPathSearch"));
    /** PEM certificate for the service's first domain; masked in answers, since it usually holds its key. */
    public static final Field<String> SERVICE_CERT = add(Field.text("serviceCert", "ServiceCert")
            .reading((name, raw, context) -> ServiceCertificates.normalisePem(raw))
            .answering(pem -> pem.isEmpty() ? "" : MASK));
    /** How domains match; the deprecated {@code serviceDomainMatchAll=true} is {@code hdr_dom(host)}, as in DFP. */
    public static final Field<String> SERVICE_DOMAIN_ALGO = add(Field.text("serviceDomainAlgo", "ServiceDomainAlgo")
            .reading((name, raw, context) -> "true".equalsIgnoreCase(context.parameter("serviceDomainMatchAll"))
                    ? "hdr_dom(host)" : raw));
    /** The Swarm service name: the key of the service map and the default backend host. */
    public static final Field<String> SERVICE_NAME = add(Field.text("serviceName", "ServiceName")
            .checking((name, serviceName) -> {
                if (!ParameterValues.isHostName(serviceName)) {
                    throw ParameterValues.invalid(name, serviceName,
                            "a service name of letters, digits, '-', '_' and '.'");
                }
            }));
    /** {@code sticky-server} for cookie-based stickiness to a task. */
    public static final Field<String> SESSION_TYPE = add(Field.text("sessionType", "SessionType"));
    /** Request headers to set; DFP's deprecated {@code setHeader} when not given. */
    public static final Field<List<String>> SET_REQ_HEADER = add(list("setReqHeader", "SetReqHeader")
            .alias("setHeader"));
    public static final Field<List<String>> SET_RES_HEADER = add(list("setResHeader", "SetResHeader"));
    public static final Field<String> TEMPLATE_BE_PATH = add(Field.text("templateBePath", "TemplateBePath")
            .unsupported(NO_TEMPLATES));
    public static final Field<String> TEMPLATE_FE_PATH = add(Field.text("templateFePath", "TemplateFePath")
            .unsupported(NO_TEMPLATES));
    static final Field<Object> USE_GLOBAL_USERS = add(Field.rendering("UseGlobalUsers", false));
    /** Basic-auth users, {@code user:password} pairs; hashes with {@code usersPassEncrypted=true}. */
    public static final Field<List<User>> USERS = add(Field.of("users", "Users", Field.Kind.USERS, List.<User>of(),
            (name, raw, context) -> User.parseList(name, raw,
                    ParameterValues.bool("usersPassEncrypted", context.parameter("usersPassEncrypted"))))
            .answering(ServiceFields::usersAnswer));
    static final Field<Object> SERVICE_PORT = add(Field.rendering("ServicePort", ""));
    static final Field<Object> ACL_CONDITION = add(Field.rendering("AclCondition", ""));
    /** Whether {@code replicas} was absent: a global service, never removed by a count. */
    public static final Field<Boolean> GLOBAL = add(Field.derived("global", "IsGlobal", Field.Kind.BOOLEAN, false));
    static final Field<Object> LOOKUP_RETRY = add(Field.rendering("LookupRetry", 0));
    static final Field<Object> LOOKUP_RETRY_INTERVAL = add(Field.rendering("LookupRetryInterval", 0));
    /** The destinations in order: either the un-indexed one or those indexed 1…N. */
    public static final Field<List<DestinationSpec>> DESTINATIONS = add(Field.derived("destinations", "ServiceDest",
            Field.Kind.DESTINATIONS, List.of()));
    static final Field<Object> TASKS = add(Field.rendering("Tasks", null));
    /** Swarmgate's own: {@code roundrobin} (empty) or {@code leastconn}, with {@code discoveryType=DNS}. */
    public static final Field<String> BALANCE = add(Field.text("balance", null)
            .checking((name, balance) -> {
                if (!balance.isEmpty() && !balance.equals("roundrobin") && !balance.equals("leastconn")) {
                    throw ParameterValues.invalid(name, balance, "roundrobin or leastconn");
                }
            }));
    /** Swarmgate's own: a path each task is asked for regularly with {@code discoveryType=DNS}. */
    public static final Field<String> HEALTH_CHECK_PATH = add(Field.text("healthCheckPath", null)
            .checking((name, path) -> {
                if (!path.isEmpty() && (!path.startsWith("/") || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
                    throw ParameterValues.invalid(name, path, "a path starting with /");
                }
            }));
    /** The secret {@code dfp_users_<usersSecret>} holding more basic-auth users. */
    public static final Field<String> USERS_SECRET = add(Field.text("usersSecret", null)
            .checking((name, secret) -> {
                if (secret.contains("/") || secret.startsWith(".")) {
                    throw ParameterValues.invalid(name, secret, "a secret name (dfp_users_<name> in /run/secrets)");
                }
            }));
    /** Swarmgate's own: {@code h2c} or {@code https} to the backends; {@code http1}, the default, is kept empty. */
    public static final Field<String> BACKEND_PROTOCOL = add(Field.text("backendProtocol", null)
            .reading((name, raw, context) -> raw.equals("http1") ? "" : raw)
            .checking((name, protocol) -> {
                if (!protocol.isEmpty() && !protocol.equals("http1") && !protocol.equals("h2c")
                        && !protocol.equals("https")) {
                    throw ParameterValues.invalid(name, protocol, "http1, h2c or https");
                }
            }));
    /** Swarmgate's own: the largest request body in bytes (413 beyond it); 0 for no limit. */
    public static final Field<Long> MAX_REQUEST_BODY_SIZE = add(Field.of("maxRequestBodySize", null, Field.Kind.LONG,
            0L, (name, raw, context) -> ParameterValues.byteSize(name, raw)).storedAs("maxRequestBodyBytes")
            .checking((name, size) -> {
                if (size < 0) {
                    throw ParameterValues.invalid(name, String.valueOf(size), "a size in bytes");
                }
            }));
    /** The names, among its {@code serviceDomain}s, the service asks an ACME certificate for. */
    public static final Field<List<String>> LETSENCRYPT_HOST = add(Field.list(AcmeNames.HOST_PARAMETER, null)
            .storedAs("letsencryptHost"));
    /** The contact for that certificate's ACME account; empty for {@code ACME_EMAIL}. */
    public static final Field<String> LETSENCRYPT_EMAIL = add(Field.text(AcmeNames.EMAIL_PARAMETER, null)
            .storedAs("letsencryptEmail"));

    /** Every field, in DFP's order. */
    public static final List<Field<?>> ALL = LIST.all();

    private ServiceFields() {
    }

    private static <T> Field<T> add(Field<T> field) {
        return LIST.add(field);
    }

    /** DFP answers a service-level list that was not given as {@code null}. */
    private static Field<List<String>> list(String parameter, String jsonName) {
        return Field.list(parameter, jsonName).answering(items -> items.isEmpty() ? null : items);
    }

    private static Object usersAnswer(List<User> users) {
        if (users.isEmpty()) {
            return null;
        }
        return users.stream().map(user -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("Username", user.username());
            answer.put("Password", MASK);
            answer.put("PassEncrypted", user.passEncrypted());
            return answer;
        }).toList();
    }
}
