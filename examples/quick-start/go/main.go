// The README quick start in Go: `go run .` synthesizes the same YAML as examples/quick-start/main.ts.
package main

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-istio/cdk8s-istio-go/cdk8sistio"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	"github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2"
)

func main() {
	app := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(app, jsii.String("shop"), &cdk8s.ChartProps{Namespace: jsii.String("shop")})
	mesh := cdk8sistio.NewMesh(chart, jsii.String("mesh"), &cdk8sistio.MeshProps{
		IngressGateways: &[]*cdk8sistio.IngressGatewayOptions{{Hosts: jsii.Strings("shop.example.com"), CredentialName: jsii.String("shop-tls")}},
	})
	shop := cdk8sistio.NewZeroTrustNamespace(chart, jsii.String("ns"), &cdk8sistio.ZeroTrustNamespaceProps{Name: jsii.String("shop"), Mesh: mesh}) // STRICT mTLS, deny-all
	deploy := func(v string) cdk8splus28.Deployment {
		return cdk8splus28.NewDeployment(chart, jsii.String("payments-"+v), &cdk8splus28.DeploymentProps{
			Metadata:    &cdk8s.ApiObjectMetadata{Name: jsii.String("payments-" + v)},
			PodMetadata: &cdk8s.ApiObjectMetadata{Labels: &map[string]*string{"app": jsii.String("payments"), "version": jsii.String(v)}},
			Containers: &[]*cdk8splus28.ContainerProps{{
				Image: jsii.String("payments:" + v),
				Ports: &[]*cdk8splus28.ContainerPort{{Number: jsii.Number(8080), Name: jsii.String("http")}},
			}},
		})
	}
	v1, v2 := deploy("v1"), deploy("v2")
	svc := cdk8splus28.NewService(chart, jsii.String("payments"), &cdk8splus28.ServiceProps{
		Metadata: &cdk8s.ApiObjectMetadata{Name: jsii.String("payments")},
		Ports:    &[]*cdk8splus28.ServicePort{{Port: jsii.Number(8080), Name: jsii.String("http")}},
	})
	svc.SelectLabel(jsii.String("app"), jsii.String("payments")) // both versions' pods
	for _, v := range []cdk8splus28.Deployment{v1, v2} {
		shop.Allow(cdk8sistio.WorkloadRef_FromConstruct(v), &[]cdk8sistio.ZeroTrustCaller{cdk8sistio.ZeroTrustCaller_IngressGateway(mesh, nil)}, nil) // the mesh's gateway may call them
	}
	cdk8sistio.NewCanaryRelease(chart, jsii.String("payments-release"), &cdk8sistio.CanaryReleaseProps{
		Host: cdk8sistio.ServiceHost_FromService(cdk8sistio.ServiceRef_FromConstruct(svc), nil),
		Routing: cdk8sistio.CanaryRouting_Istio(&cdk8sistio.CanaryIstioRoutingOptions{
			Versions: cdk8sistio.ReleaseVersions_Subsets(
				cdk8sistio.ReleaseVersion_FromWorkload(jsii.String("v1"), cdk8sistio.WorkloadRef_FromConstruct(v1)),
				cdk8sistio.ReleaseVersion_FromWorkload(jsii.String("v2"), cdk8sistio.WorkloadRef_FromConstruct(v2))),
			Progress: cdk8sistio.CanaryProgress_Step(jsii.Number(1), cdk8sistio.CanaryPlan_Weights(jsii.Numbers(5, 50, 100))), // 0 = rollback, 3 = v2 only
			Gateway:  &cdk8sistio.CanaryGatewayExposure{Gateway: mesh.IngressGateway(nil), Hosts: jsii.Strings("shop.example.com")},
		}),
	})
	app.Synth() // fails on any invalid or inconsistent object
}
