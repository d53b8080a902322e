package main

import (
	"context"
	"encoding/json"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/provider"
	"github.com/hwcjobs/terraform-provider-hwcjobs/internal/service"
)

// roundTrip converts server's schema, writes it and reads it back the way
// tfplugindocs does (terraform-json validates the format version).
func roundTrip(t *testing.T, server tfprotov6.ProviderServer) *tfjson.ProviderSchema {
	t.Helper()
	schemas, err := providerSchemas(context.Background(), server, providerName)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(schemas)
	if err != nil {
		t.Fatal(err)
	}
	var back tfjson.ProviderSchemas
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	ps := back.Schemas[providerName]
	if ps == nil {
		t.Fatalf("no %q in %s", providerName, data)
	}
	return ps
}

func TestProviderSchemas_provider(t *testing.T) {
	server, err := providerserver.NewProtocol6WithError(provider.New("test", service.All())())()
	if err != nil {
		t.Fatal(err)
	}
	ps := roundTrip(t, server)

	for _, name := range []string{"hwcjobs_ecs_job", "hwcjobs_elb_job", "hwcjobs_sdrs_job", "hwcjobs_sfs_turbo_job"} {
		if ps.DataSourceSchemas[name] == nil {
			t.Errorf("no data source %s", name)
		}
		if ps.ResourceSchemas[name+"_wait"] == nil {
			t.Errorf("no resource %s_wait", name)
		}
	}
	secret := ps.ConfigSchema.Block.Attributes["secret_key"]
	if secret == nil || !secret.Sensitive || !secret.Optional || secret.Description == "" || secret.DescriptionKind != tfjson.SchemaDescriptionKindMarkdown {
		t.Errorf("provider secret_key = %+v, want sensitive, optional, described (markdown)", secret)
	}

	wait := ps.ResourceSchemas["hwcjobs_ecs_job_wait"].Block
	if a := wait.Attributes["job_id"]; a == nil || !a.Required || !a.AttributeType.Equals(cty.String) {
		t.Errorf("job_id = %+v, want a required string", a)
	}
	if a := wait.Attributes["status"]; a == nil || !a.Computed || a.Optional {
		t.Errorf("status = %+v, want computed only", a)
	}
	timeouts := wait.NestedBlocks["timeouts"]
	if timeouts == nil || timeouts.NestingMode != tfjson.SchemaNestingModeSingle || timeouts.Block.Attributes["create"] == nil {
		t.Errorf("timeouts = %+v, want a single block with create", timeouts)
	}
	entities := wait.Attributes["entities"]
	if entities == nil || entities.AttributeNestedType == nil || entities.AttributeNestedType.NestingMode != tfjson.SchemaNestingModeSingle {
		t.Fatalf("entities = %+v, want single nested attributes", entities)
	}
	subJobs := entities.AttributeNestedType.Attributes["sub_jobs"]
	if subJobs == nil || subJobs.AttributeNestedType == nil || subJobs.AttributeNestedType.NestingMode != tfjson.SchemaNestingModeList ||
		subJobs.AttributeNestedType.Attributes["job_id"] == nil {
		t.Errorf("entities.sub_jobs = %+v, want list nested attributes with job_id", subJobs)
	}
}

// An action, with a Markdown description and nested attributes, as a
// provider would declare it: its schema must reach action_schemas.
func TestProviderSchemas_actions(t *testing.T) {
	server, err := providerserver.NewProtocol6WithError(&actionProvider{})()
	if err != nil {
		t.Fatal(err)
	}
	ps := roundTrip(t, server)
	a := ps.ActionSchemas["example_wait"]
	if a == nil || a.Block == nil {
		t.Fatalf("action_schemas = %+v, want example_wait", ps.ActionSchemas)
	}
	if a.Block.DescriptionKind != tfjson.SchemaDescriptionKindMarkdown || a.Block.Description != "Waits for `job_id`." {
		t.Errorf("action block = %+v, want the Markdown description", a.Block)
	}
	if id := a.Block.Attributes["job_id"]; id == nil || !id.Required || !id.AttributeType.Equals(cty.String) {
		t.Errorf("job_id = %+v, want a required string", id)
	}
	tags := a.Block.Attributes["tags"]
	if tags == nil || tags.AttributeNestedType == nil || tags.AttributeNestedType.NestingMode != tfjson.SchemaNestingModeList ||
		tags.AttributeNestedType.Attributes["key"] == nil || !tags.Optional {
		t.Errorf("tags = %+v, want optional list nested attributes with key", tags)
	}
}

type actionProvider struct{}

func (*actionProvider) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = "example"
}
func (*actionProvider) Schema(context.Context, fwprovider.SchemaRequest, *fwprovider.SchemaResponse) {
}
func (*actionProvider) Configure(context.Context, fwprovider.ConfigureRequest, *fwprovider.ConfigureResponse) {
}
func (*actionProvider) Resources(context.Context) []func() resource.Resource       { return nil }
func (*actionProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (*actionProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{func() action.Action { return waitAction{} }}
}

type waitAction struct{}

func (waitAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_wait"
}

func (waitAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = actionschema.Schema{
		MarkdownDescription: "Waits for `job_id`.",
		Attributes: map[string]actionschema.Attribute{
			"job_id": actionschema.StringAttribute{Required: true, Description: "The job."},
			"tags": actionschema.ListNestedAttribute{
				Optional: true,
				NestedObject: actionschema.NestedAttributeObject{
					Attributes: map[string]actionschema.Attribute{
						"key": actionschema.StringAttribute{Required: true},
					},
				},
			},
		},
	}
}

func (waitAction) Invoke(context.Context, action.InvokeRequest, *action.InvokeResponse) {}

func TestCtyType(t *testing.T) {
	obj := tftypes.Object{
		AttributeTypes:     map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.List{ElementType: tftypes.Number}},
		OptionalAttributes: map[string]struct{}{"b": {}},
	}
	for _, tc := range []struct {
		in   tftypes.Type
		want cty.Type
	}{
		{tftypes.String, cty.String},
		{tftypes.Bool, cty.Bool},
		{tftypes.DynamicPseudoType, cty.DynamicPseudoType},
		{tftypes.Set{ElementType: tftypes.Bool}, cty.Set(cty.Bool)},
		{tftypes.Map{ElementType: tftypes.String}, cty.Map(cty.String)},
		{tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, tftypes.Number}}, cty.Tuple([]cty.Type{cty.String, cty.Number})},
		{obj, cty.ObjectWithOptionalAttrs(map[string]cty.Type{"a": cty.String, "b": cty.List(cty.Number)}, []string{"b"})},
	} {
		got, err := ctyType(tc.in)
		if err != nil || !got.Equals(tc.want) {
			t.Errorf("ctyType(%s) = %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
}
