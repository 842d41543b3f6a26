using System.Text.Json;
using Junction.Workspace.Labels;
using Junction.Workspace.PublicApi;

namespace Junction.Workspace.Access;

/// <summary>
/// Permissions in the Public API's shapes: input <c>[{roleId, resources: [{id, type, labels?}], labels?}]</c> and
/// output <c>PermissionV1</c> <c>{roleId, roleName, resources: [{id, type, labels}], labels}</c>.
/// </summary>
internal static class PermissionsJson
{
    /// <summary>Reads a permissions array, recording an error per bad item under its path (<c>permissions[0].roleId</c>).</summary>
    public static List<PermissionInput> Read(JsonFields fields, string name = "permissions", bool required = true)
    {
        var inputs = new List<PermissionInput>();
        if (fields.Array(name, required) is not { } items)
        {
            return inputs;
        }

        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            var at = $"{name}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                fields.Fail(at, $"{at} must be an object with roleId and resources.");
                continue;
            }

            if (!item.TryGetProperty("roleId", out var roleId) || roleId.ValueKind != JsonValueKind.String)
            {
                fields.Fail($"{at}.roleId", $"{at}.roleId is required and must be a string.");
                continue;
            }

            var resources = new List<ResourceInput>();
            if (item.TryGetProperty("resources", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    fields.Fail($"{at}.resources", $"{at}.resources must be an array.");
                    continue;
                }

                var j = 0;
                foreach (var resource in list.EnumerateArray())
                {
                    var field = $"{at}.resources[{j++}]";
                    if (resource.ValueKind == JsonValueKind.Object
                        && resource.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                        && resource.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
                    {
                        resources.Add(new ResourceInput(id.GetString()!, type.GetString()!, LabelsOf(fields, resource, field)));
                    }
                    else
                    {
                        fields.Fail(field, $"{field} must be an object with string members id and type.");
                    }
                }
            }

            inputs.Add(new PermissionInput(roleId.GetString()!, resources, LabelsOf(fields, item, at)));
        }

        return inputs;
    }

    public static PermissionV1 ToJson(PermissionView permission) => new(
        permission.RoleId,
        permission.RoleName,
        permission.Resources.Select(r => new PermissionResourceV1(r.Id, r.Type, r.Labels.Select(LabelV1.From).ToList())).ToList(),
        permission.Labels.Select(LabelV1.From).ToList());

    public static List<PermissionV1> ToJson(IEnumerable<PermissionView> permissions) => permissions.Select(ToJson).ToList();

    private static List<Label> LabelsOf(JsonFields fields, JsonElement owner, string at) =>
        owner.TryGetProperty("labels", out var labels) && labels.ValueKind != JsonValueKind.Null
            ? labels.ValueKind == JsonValueKind.Array
                ? LabelsApi.ReadLabels(fields, $"{at}.labels", array: labels)
                : Failed(fields, $"{at}.labels")
            : [];

    private static List<Label> Failed(JsonFields fields, string field)
    {
        fields.Fail(field, $"{field} must be an array of {{key, value}} objects.");
        return [];
    }
}

/// <summary>A permission as the Public API shows it (Segment's <c>PermissionV1</c>).</summary>
internal sealed record PermissionV1(string RoleId, string RoleName, IReadOnlyList<PermissionResourceV1> Resources, IReadOnlyList<LabelV1> Labels);

/// <summary>A resource of a permission (Segment's <c>PermissionResourceV1</c>).</summary>
internal sealed record PermissionResourceV1(string Id, string Type, IReadOnlyList<LabelV1> Labels);
