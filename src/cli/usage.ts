/** The command line's usage text: one synopsis and one description a command, and all of them together. */

const VALIDATE_SYNOPSIS = 'cdk8s-istio validate [--crds <file|dir>]... [-o text|json|sarif|junit] [--quiet] <manifest file|dir|->...';
const ANALYZE_SYNOPSIS = 'cdk8s-istio analyze [--failure-threshold <level>] [--output-threshold <level>] [-o log|json|yaml|sarif|junit] <manifest file|dir|->...';
const SIMULATE_SYNOPSIS = 'cdk8s-istio simulate <manifest file|dir>... --from <source> --to <host>[:<port>] [request options] [-o text|json]';
const REACHABILITY_SYNOPSIS = 'cdk8s-istio reachability <manifest file|dir>... [-o table|json|dot] [--undeclared-namespaces <mode>]';

const VALIDATE_HELP = `Validates Kubernetes manifests against CRD schemas the way the API server admits them
(structural schema, defaults, CEL rules), with unknown fields as errors; then, as the API server
calls istiod's validating webhook for Istio objects the schema admits, applies the webhook's rules
(as 'istioctl validate' does). IstioOperator documents are checked against the typed model
istioctl enforces.

  --crds <file|dir>      CRDs to validate against, e.g. from 'kubectl get crd -o yaml'
                         (repeatable; default: the bundled Istio 1.30.3 and Gateway API v1.5.1)
  -o, --output <format>  text (default), json, sarif (SARIF 2.1.0) or junit (JUnit XML)
  -q, --quiet            print problems only, no summary
  -                      read manifests from standard input (not with -o sarif, which needs files)

A document with a YAML syntax error is reported as a problem; the other documents and files are
still validated.

Exit status: 0 when every object is valid, 1 when any problem (or YAML error) is found, 2 on bad
usage or an unreadable file.`;

const ANALYZE_HELP = `analyze checks the configuration as a whole, as 'istioctl analyze' does offline: subsets,
gateways and hosts that are referenced but not defined, conflicting VirtualServices and
Gateways, TLS and mTLS mistakes, authorization policies that cannot work, and conventions.

  --failure-threshold <level>  Error, Warning or Info: findings at or above it fail (default Error)
  --output-threshold <level>   findings at or above it are printed (default Info), and always those that fail
  -o, --output <format>        log (default), json, yaml, sarif (SARIF 2.1.0) or junit (JUnit XML)
  -                            read manifests from standard input (not with -o sarif, which needs files)

A document with a YAML syntax error is an Error finding (code YAML); the rest is still analyzed.

Exit status: 0 when no finding reaches the failure threshold, 79 when one does (as istioctl
analyze), 2 on bad usage or an unreadable file.`;

const UNDECLARED = '--undeclared-namespaces sidecar|ambient|none  data plane of namespaces the files do not declare (default sidecar)';

const SIMULATE_HELP = `simulate works out what Istio 1.30.3 and Kubernetes do with one request (routing, mTLS,
authorization, NetworkPolicy, upstream TLS), with the reason at each hop.

  --from <source>              <ns>/<serviceaccount>, ingress:<ns>/<gateway>, namespace:<ns> or outside
  --from-workload <ns>/<name>  a pod of that workload (instead of --from)
  --to <host>[:<port>]         a Service (name, name.ns or FQDN), a ServiceEntry host or any host
  --method <M>, --path <P>     default GET /
  --header <k=v>, --cookie <k=v>  repeatable
  --sni <name>                 a TLS request with this SNI
  --jwt <issuer>/<subject>     a validly signed token (split at the last '/'); default no token
  --protocol http|tls|tcp      default: read from the port
  ${UNDECLARED}
  -o, --output text|json       default text

Exit status: 0 when the request is delivered, 3 when it is not, 2 on bad usage.`;

const REACHABILITY_HELP = `reachability prints which workload identity (and a client outside the mesh) reaches which
Service port and external host: a table (default), JSON, or Graphviz dot of the allowed pairs.

  -o, --output table|json|dot  default table
  ${UNDECLARED}

Exit status: 0 when the matrix is printed, 2 on bad usage.`;

/** What `cdk8s-istio validate` takes; printed after its usage errors and for `validate --help`. */
export const VALIDATE_USAGE = `usage: ${VALIDATE_SYNOPSIS}\n\n${VALIDATE_HELP}`;

/** What `cdk8s-istio analyze` takes; printed after its usage errors and for `analyze --help`. */
export const ANALYZE_USAGE = `usage: ${ANALYZE_SYNOPSIS}\n\n${ANALYZE_HELP}`;

/** What `cdk8s-istio simulate` takes; printed after its usage errors. */
export const SIMULATE_USAGE = `usage: ${SIMULATE_SYNOPSIS}\n\n${SIMULATE_HELP}`;

/** What `cdk8s-istio reachability` takes; printed after its usage errors. */
export const REACHABILITY_USAGE = `usage: ${REACHABILITY_SYNOPSIS}\n\n${REACHABILITY_HELP}`;

/** Every command. */
export const USAGE = `usage: ${VALIDATE_SYNOPSIS}
       ${ANALYZE_SYNOPSIS}
       ${SIMULATE_SYNOPSIS}
       ${REACHABILITY_SYNOPSIS}
       cdk8s-istio --version
       cdk8s-istio <command> --help

${VALIDATE_HELP}

${ANALYZE_HELP}

${SIMULATE_HELP}

${REACHABILITY_HELP}`;
