package main

import (
	"context"
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
	attrs, err := attributes(b.Attributes)
	if err != nil {
		return nil, err
	}
	out.Attributes = attrs
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

// attributes converts a list of attributes; none is a nil map, as
// Terraform writes it.
func attributes(in []*tfprotov6.SchemaAttribute) (map[string]*tfjson.SchemaAttribute, error) {
	var out map[string]*tfjson.SchemaAttribute
	for _, a := range in {
		ja, err := attribute(a)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
		}
		if out == nil {
			out = map[string]*tfjson.SchemaAttribute{}
		}
		out[a.Name] = ja
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
	attrs, err := attributes(o.Attributes)
	if err != nil {
		return nil, err
	}
	out.Attributes = attrs
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

// ctyType converts a protocol type to the cty type Terraform writes.
func ctyType(t tftypes.Type) (cty.Type, error) {
	switch {
	case t == nil:
		return cty.NilType, errors.New("no type")
	case t.Is(tftypes.String):
		return cty.String, nil
	case t.Is(tftypes.Number):
		return cty.Number, nil
	case t.Is(tftypes.Bool):
		return cty.Bool, nil
	case t.Is(tftypes.DynamicPseudoType):
		return cty.DynamicPseudoType, nil
	}
	switch tt := t.(type) {
	case tftypes.List:
		e, err := ctyType(tt.ElementType)
		return cty.List(e), err
	case tftypes.Set:
		e, err := ctyType(tt.ElementType)
		return cty.Set(e), err
	case tftypes.Map:
		e, err := ctyType(tt.ElementType)
		return cty.Map(e), err
	case tftypes.Tuple:
		elems := make([]cty.Type, len(tt.ElementTypes))
		for i, et := range tt.ElementTypes {
			e, err := ctyType(et)
			if err != nil {
				return cty.NilType, err
			}
			elems[i] = e
		}
		return cty.Tuple(elems), nil
	case tftypes.Object:
		attrs := make(map[string]cty.Type, len(tt.AttributeTypes))
		for name, at := range tt.AttributeTypes {
			a, err := ctyType(at)
			if err != nil {
				return cty.NilType, fmt.Errorf("%s: %w", name, err)
			}
			attrs[name] = a
		}
		if len(tt.OptionalAttributes) == 0 {
			return cty.Object(attrs), nil
		}
		optional := make([]string, 0, len(tt.OptionalAttributes))
		for name := range tt.OptionalAttributes {
			optional = append(optional, name)
		}
		return cty.ObjectWithOptionalAttrs(attrs, optional), nil
	}
	return cty.NilType, fmt.Errorf("unknown type %s", t)
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
