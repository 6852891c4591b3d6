package quickstart;

import io.github.cdk8sistio.CanaryGatewayExposure;
import io.github.cdk8sistio.CanaryIstioRoutingOptions;
import io.github.cdk8sistio.CanaryPlan;
import io.github.cdk8sistio.CanaryProgress;
import io.github.cdk8sistio.CanaryRelease;
import io.github.cdk8sistio.CanaryReleaseProps;
import io.github.cdk8sistio.CanaryRouting;
import io.github.cdk8sistio.IngressGatewayOptions;
import io.github.cdk8sistio.Mesh;
import io.github.cdk8sistio.MeshProps;
import io.github.cdk8sistio.ReleaseVersion;
import io.github.cdk8sistio.ReleaseVersions;
import io.github.cdk8sistio.ServiceHost;
import io.github.cdk8sistio.ServiceRef;
import io.github.cdk8sistio.WorkloadRef;
import io.github.cdk8sistio.ZeroTrustCaller;
import io.github.cdk8sistio.ZeroTrustNamespace;
import io.github.cdk8sistio.ZeroTrustNamespaceProps;
import java.util.List;
import java.util.Map;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.plus28.ContainerPort;
import org.cdk8s.plus28.ContainerProps;
import org.cdk8s.plus28.Deployment;
import org.cdk8s.plus28.DeploymentProps;
import org.cdk8s.plus28.Service;
import org.cdk8s.plus28.ServicePort;
import org.cdk8s.plus28.ServiceProps;

/** The README quick start in Java: synthesizes the same YAML as examples/quick-start/main.ts. */
public final class Main {
  private Main() {}

  private static Deployment deploy(Chart chart, String v) {
    return new Deployment(chart, "payments-" + v, DeploymentProps.builder()
        .metadata(ApiObjectMetadata.builder().name("payments-" + v).build())
        .podMetadata(ApiObjectMetadata.builder().labels(Map.of("app", "payments", "version", v)).build())
        .containers(List.of(ContainerProps.builder().image("payments:" + v)
            .ports(List.of(ContainerPort.builder().number(8080).name("http").build())).build()))
        .build());
  }

  public static void main(String[] args) {
    App app = new App();
    Chart chart = new Chart(app, "shop", ChartProps.builder().namespace("shop").build());
    Mesh mesh = new Mesh(chart, "mesh", MeshProps.builder()
        .ingressGateways(List.of(IngressGatewayOptions.builder().hosts(List.of("shop.example.com")).credentialName("shop-tls").build()))
        .build());
    ZeroTrustNamespace shop = new ZeroTrustNamespace(chart, "ns", ZeroTrustNamespaceProps.builder().name("shop").mesh(mesh).build()); // STRICT mTLS, deny-all
    Deployment v1 = deploy(chart, "v1");
    Deployment v2 = deploy(chart, "v2");
    Service svc = new Service(chart, "payments", ServiceProps.builder()
        .metadata(ApiObjectMetadata.builder().name("payments").build())
        .ports(List.of(ServicePort.builder().port(8080).name("http").build()))
        .build());
    svc.selectLabel("app", "payments"); // both versions' pods
    for (Deployment v : List.of(v1, v2)) {
      shop.allow(WorkloadRef.fromConstruct(v), List.of(ZeroTrustCaller.ingressGateway(mesh))); // the mesh's gateway may call them
    }
    new CanaryRelease(chart, "payments-release", CanaryReleaseProps.builder()
        .host(ServiceHost.fromService(ServiceRef.fromConstruct(svc)))
        .routing(CanaryRouting.istio(CanaryIstioRoutingOptions.builder()
            .versions(ReleaseVersions.subsets(
                ReleaseVersion.fromWorkload("v1", WorkloadRef.fromConstruct(v1)), ReleaseVersion.fromWorkload("v2", WorkloadRef.fromConstruct(v2))))
            .progress(CanaryProgress.step(1, CanaryPlan.weights(List.of(5, 50, 100)))) // 0 = rollback, 3 = v2 only
            .gateway(CanaryGatewayExposure.builder().gateway(mesh.ingressGateway()).hosts(List.of("shop.example.com")).build())
            .build()))
        .build());
    app.synth(); // fails on any invalid or inconsistent object
  }
}
