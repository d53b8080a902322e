package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
)

// formatVersion is the format_version Terraform 1.x writes.
const formatVersion = "1.0"

// providerSchemas converts what server answers to GetProviderSchema (and
// GetResourceIdentitySchemas) into the document `terraform providers
// schema -json` prints, with the provider under name. It fails on any
// error diagnostic and on what it cannot convert (functions, list
// resources, state stores) rather than leave it out of the docs unsaid.
func providerSchemas(ctx context.Context, server tfprotov6.ProviderServer, name string) (*tfjson.ProviderSchemas, error) {
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetProviderSchema: %w", err)
	}
	if err := diagnosticsError("GetProviderSchema", resp.Diagnostics); err != nil {
		return nil, err
	}
	var unsupported []string
	if len(resp.Functions) > 0 {
		unsupported = append(unsupported, "functions")
	}
	if len(resp.ListResourceSchemas) > 0 {
		unsupported = append(unsupported, "list resources")
	}
	if len(resp.StateStoreSchemas) > 0 {
		unsupported = append(unsupported, "state stores")
	}
	if len(unsupported) > 0 {
		return nil, fmt.Errorf("the provider has %s: schemajson does not convert them yet", strings.Join(unsupported, " and "))
	}

	ps := &tfjson.ProviderSchema{}
	if ps.ConfigSchema, err = schema(resp.Provider); err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	if ps.ResourceSchemas, err = schemaMap(resp.ResourceSchemas); err != nil {
		return nil, err
	}
	if ps.DataSourceSchemas, err = schemaMap(resp.DataSourceSchemas); err != nil {
		return nil, err
	}
	if ps.EphemeralResourceSchemas, err = schemaMap(resp.EphemeralResourceSchemas); err != nil {
		return nil, err
	}
	for typeName, a := range resp.ActionSchemas {
		if a == nil || a.Schema == nil {
			return nil, fmt.Errorf("action %s: no schema", typeName)
		}
		b, err := block(a.Schema.Block)
		if err != nil {
			return nil, fmt.Errorf("action %s: %w", typeName, err)
		}
		if ps.ActionSchemas == nil {
			ps.ActionSchemas = map[string]*tfjson.ActionSchema{}
		}
		ps.ActionSchemas[typeName] = &tfjson.ActionSchema{Block: b}
	}

	ids, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetResourceIdentitySchemas: %w", err)
	}
	if err := diagnosticsError("GetResourceIdentitySchemas", ids.Diagnostics); err != nil {
		return nil, err
	}
	for typeName, s := range ids.IdentitySchemas {
		is, err := identitySchema(s)
		if err != nil {
			return nil, fmt.Errorf("identity of %s: %w", typeName, err)
		}
		if ps.ResourceIdentitySchemas == nil {
			ps.ResourceIdentitySchemas = map[string]*tfjson.IdentitySchema{}
		}
		ps.ResourceIdentitySchemas[typeName] = is
	}

	return &tfjson.ProviderSchemas{
		FormatVersion: formatVersion,
		Schemas:       map[string]*tfjson.ProviderSchema{name: ps},
	}, nil
}

func diagnosticsError(rpc string, diags []*tfprotov6.Diagnostic) error {
	var errs []error
	for _, d := range diags {
		if d != nil && d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, fmt.Errorf("%s: %s: %s", rpc, d.Summary, d.Detail))
		}
	}
	return errors.Join(errs...)
}

func schemaMap(in map[string]*tfprotov6.Schema) (map[string]*tfjson.Schema, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]*tfjson.Schema, len(in))
	for typeName, s := range in {
		js, err := schema(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", typeName, err)
		}
		out[typeName] = js
	}
	return out, nil
}

func schema(s *tfprotov6.Schema) (*tfjson.Schema, error) {
	if s == nil {
		return nil, nil
	}
	b, err := block(s.Block)
	if err != nil {
		return nil, err
	}
	if s.Version < 0 {
		return nil, fmt.Errorf("negative schema version %d", s.Version)
	}
	return &tfjson.Schema{Version: uint64(s.Version), Block: b}, nil
}

func block(b *tfprotov6.SchemaBlock) (*tfjson.SchemaBlock, error) {
	if b == nil {
		return &tfjson.SchemaBlock{DescriptionKind: tfjson.SchemaDescriptionKindPlain}, nil
	}
	out := &tfjson.SchemaBlock{
		Description:     b.Description,
		DescriptionKind: descriptionKind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	for _, a := range b.Attributes {
		ja, err := attribute(a)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
		}
		if out.Attributes == nil {
			out.Attributes = map[string]*tfjson.SchemaAttribute{}
		}
		out.Attributes[a.Name] = ja
	}
	for _, nb := range b.BlockTypes {
		jb, err := blockType(nb)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", nb.TypeName, err)
		}
		if out.NestedBlocks == nil {
			out.NestedBlocks = map[string]*tfjson.SchemaBlockType{}
		}
		out.NestedBlocks[nb.TypeName] = jb
	}
	return out, nil
}

func blockType(nb *tfprotov6.SchemaNestedBlock) (*tfjson.SchemaBlockType, error) {
	b, err := block(nb.Block)
	if err != nil {
		return nil, err
	}
	mode, err := blockNesting(nb.Nesting)
	if err != nil {
		return nil, err
	}
	if nb.MinItems < 0 || nb.MaxItems < 0 {
		return nil, fmt.Errorf("negative min_items %d or max_items %d", nb.MinItems, nb.MaxItems)
	}
	return &tfjson.SchemaBlockType{
		NestingMode: mode,
		Block:       b,
		MinItems:    uint64(nb.MinItems),
		MaxItems:    uint64(nb.MaxItems),
	}, nil
}

func attribute(a *tfprotov6.SchemaAttribute) (*tfjson.SchemaAttribute, error) {
	out := &tfjson.SchemaAttribute{
		Description:     a.Description,
		DescriptionKind: descriptionKind(a.DescriptionKind),
		Deprecated:      a.Deprecated,
		Required:        a.Required,
		Optional:        a.Optional,
		Computed:        a.Computed,
		Sensitive:       a.Sensitive,
		WriteOnly:       a.WriteOnly,
	}
	switch {
	case a.NestedType != nil && a.Type != nil:
		return nil, errors.New("both a type and nested attributes")
	case a.NestedType != nil:
		nt, err := nestedType(a.NestedType)
		if err != nil {
			return nil, err
		}
		out.AttributeNestedType = nt
	case a.Type != nil:
		t, err := ctyType(a.Type)
		if err != nil {
			return nil, err
		}
		out.AttributeType = t
	default:
		return nil, errors.New("neither a type nor nested attributes")
	}
	return out, nil
}

func nestedType(o *tfprotov6.SchemaObject) (*tfjson.SchemaNestedAttributeType, error) {
	out := &tfjson.SchemaNestedAttributeType{}
	switch o.Nesting {
	case tfprotov6.SchemaObjectNestingModeSingle:
		out.NestingMode = tfjson.SchemaNestingModeSingle
	case tfprotov6.SchemaObjectNestingModeList:
		out.NestingMode = tfjson.SchemaNestingModeList
	case tfprotov6.SchemaObjectNestingModeSet:
		out.NestingMode = tfjson.SchemaNestingModeSet
	case tfprotov6.SchemaObjectNestingModeMap:
		out.NestingMode = tfjson.SchemaNestingModeMap
	default:
		return nil, fmt.Errorf("unknown nested attribute nesting mode %v", o.Nesting)
	}
	for _, a := range o.Attributes {
		ja, err := attribute(a)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
		}
		if out.Attributes == nil {
			out.Attributes = map[string]*tfjson.SchemaAttribute{}
		}
		out.Attributes[a.Name] = ja
	}
	return out, nil
}

func blockNesting(m tfprotov6.SchemaNestedBlockNestingMode) (tfjson.SchemaNestingMode, error) {
	switch m {
	case tfprotov6.SchemaNestedBlockNestingModeSingle:
		return tfjson.SchemaNestingModeSingle, nil
	case tfprotov6.SchemaNestedBlockNestingModeList:
		return tfjson.SchemaNestingModeList, nil
	case tfprotov6.SchemaNestedBlockNestingModeSet:
		return tfjson.SchemaNestingModeSet, nil
	case tfprotov6.SchemaNestedBlockNestingModeMap:
		return tfjson.SchemaNestingModeMap, nil
	case tfprotov6.SchemaNestedBlockNestingModeGroup:
		return tfjson.SchemaNestingModeGroup, nil
	default:
		return "", fmt.Errorf("unknown block nesting mode %v", m)
	}
}

// descriptionKind is what Terraform writes: "plain" unless the provider
// said Markdown.
func descriptionKind(k tfprotov6.StringKind) tfjson.SchemaDescriptionKind {
	if k == tfprotov6.StringKindMarkdown {
		return tfjson.SchemaDescriptionKindMarkdown
	}
	return tfjson.SchemaDescriptionKindPlain
}

// ctyType converts a type through the JSON type syntax both libraries
// share (e.g. ["list",["object",{"id":"string"}]]).
func ctyType(t tftypes.Type) (cty.Type, error) {
	data, err := t.MarshalJSON()
	if err != nil {
		return cty.NilType, fmt.Errorf("type %s: %w", t, err)
	}
	var out cty.Type
	if err := json.Unmarshal(data, &out); err != nil {
		return cty.NilType, fmt.Errorf("type %s: %w", data, err)
	}
	return out, nil
}

func identitySchema(s *tfprotov6.ResourceIdentitySchema) (*tfjson.IdentitySchema, error) {
	if s.Version < 0 {
		return nil, fmt.Errorf("negative schema version %d", s.Version)
	}
	out := &tfjson.IdentitySchema{Version: uint64(s.Version)}
	for _, a := range s.IdentityAttributes {
		t, err := ctyType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
		}
		if out.Attributes == nil {
			out.Attributes = map[string]*tfjson.IdentityAttribute{}
		}
		out.Attributes[a.Name] = &tfjson.IdentityAttribute{
			IdentityType:      t,
			Description:       a.Description,
			RequiredForImport: a.RequiredForImport,
			OptionalForImport: a.OptionalForImport,
		}
	}
	return out, nil
}
