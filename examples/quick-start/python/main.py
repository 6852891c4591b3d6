"""The README quick start in Python: synthesizes the same YAML as examples/quick-start/main.ts."""
from cdk8s import App, Chart, ApiObjectMetadata
import cdk8s_plus_28 as kplus
from cdk8s_istio import (
    CanaryGatewayExposure, CanaryPlan, CanaryProgress, CanaryRelease, CanaryRouting,
    IngressGatewayOptions, Mesh, ReleaseVersion, ReleaseVersions, ServiceHost, ZeroTrustCaller, ZeroTrustNamespace,
)

app = App()
chart = Chart(app, "shop", namespace="shop")
mesh = Mesh(chart, "mesh", ingress_gateways=[IngressGatewayOptions(hosts=["shop.example.com"], credential_name="shop-tls")])
shop = ZeroTrustNamespace(chart, "ns", name="shop", mesh=mesh)  # STRICT mTLS, deny-all


def deploy(v: str) -> kplus.Deployment:
    return kplus.Deployment(chart, f"payments-{v}",
        metadata=ApiObjectMetadata(name=f"payments-{v}"),
        pod_metadata=ApiObjectMetadata(labels={"app": "payments", "version": v}),
        containers=[kplus.ContainerProps(image=f"payments:{v}", ports=[kplus.ContainerPort(number=8080, name="http")])])


v1, v2 = deploy("v1"), deploy("v2")
svc = kplus.Service(chart, "payments", metadata=ApiObjectMetadata(name="payments"),
                    ports=[kplus.ServicePort(port=8080, name="http")])
svc.select_label("app", "payments")  # both versions' pods
for v in (v1, v2):
    shop.allow(v, [ZeroTrustCaller.ingress_gateway(mesh)])  # the mesh's gateway may call them
CanaryRelease(chart, "payments-release",
    host=ServiceHost.from_service(svc),
    routing=CanaryRouting.istio(
        versions=ReleaseVersions.subsets(ReleaseVersion.from_workload("v1", v1), ReleaseVersion.from_workload("v2", v2)),
        progress=CanaryProgress.step(1, CanaryPlan.weights([5, 50, 100])),  # 0 = rollback, 3 = v2 only
        gateway=CanaryGatewayExposure(gateway=mesh.ingress_gateway(), hosts=["shop.example.com"]),
    ))
app.synth()  # fails on any invalid or inconsistent object
