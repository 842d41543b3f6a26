using System.Text.Json;

namespace Junction.Protocols.Plans.Schema;

/// <summary>
/// <c>dependencies</c> (draft-07): when the object has a given property, it must also have the listed properties,
/// or pass the given schema.
/// </summary>
internal sealed class DependenciesCheck(IReadOnlyList<(string Property, string[]? Required, SchemaNode? Schema)> dependencies) : SchemaCheck
{
    public override IEnumerable<SchemaNode> SameValueSchemas => dependencies.Where(d => d.Schema is not null).Select(d => d.Schema!);

    public override bool Validate(JsonElement instance, SchemaRun run)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        var valid = true;
        foreach (var (property, required, schema) in dependencies)
        {
            if (!instance.TryGetProperty(property, out _))
            {
                continue;
            }

            if (required is not null)
            {
                foreach (var name in required)
                {
                    if (!instance.TryGetProperty(name, out _))
                    {
                        if (run.Collecting)
                        {
                            run.ReportChild(name, ViolationTypes.Required, $" is required when {property} is present");
                        }

                        valid = false;
                        if (!run.Collecting)
                        {
                            return false;
                        }
                    }
                }
            }
            else if (!schema!.Validate(instance, run))
            {
                valid = false;
                if (!run.Collecting)
                {
                    return false;
                }
            }
        }

        return valid;
    }
}
