using Junction.Protocols.Naming;
using Junction.Protocols.Templates;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Junction's own Protocols routes: the workspace's naming conventions (<c>/protocols/settings</c>), with the names
/// every convention has so that a client can offer them, and the spec templates a plan can start from.
/// </summary>
internal static class ProtocolsSettingsApi
{
    public static RouteGroupBuilder MapProtocolsSettingsRoutes(this RouteGroupBuilder api)
    {
        api.MapGet("/protocols/settings", GetAsync).AllowMembers();
        api.MapPatch("/protocols/settings", UpdateAsync).RequirePlans(AccessLevel.Write);
        api.MapGet("/protocols/templates", ListTemplates).AllowMembers();
        return api;
    }

    /// <summary>Segment's spec templates a plan can start from: id, name, description and the events each adds.</summary>
    private static IResult ListTemplates() => ApiResults.Data(new
    {
        templates = SpecTemplates.All.Select(t => new
        {
            id = t.Id,
            name = t.Name,
            description = t.Description,
            events = t.Rules.Where(r => r.Key is not null).Select(r => r.Key).ToList(),
        }).ToList(),
    });

    private static async Task<IResult> GetAsync(HttpContext http, ProtocolsService protocols) =>
        Settings(await protocols.GetProtocolsSettingsAsync(http.GetApiCaller().Principal, http.RequestAborted));

    private static async Task<IResult> UpdateAsync(HttpContext http, ProtocolsService protocols)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        EventNamingConvention? eventConvention = null;
        PropertyNamingConvention? propertyConvention = null;
        if (fields.String("eventNamingConvention") is { } eventName)
        {
            if (NamingConventions.TryParseEvent(eventName, out var parsed))
            {
                eventConvention = parsed;
            }
            else
            {
                fields.Fail("eventNamingConvention", $"eventNamingConvention must be one of {string.Join(", ", EventNames)}.");
            }
        }

        if (fields.String("propertyNamingConvention") is { } propertyName)
        {
            if (NamingConventions.TryParseProperty(propertyName, out var parsed))
            {
                propertyConvention = parsed;
            }
            else
            {
                fields.Fail("propertyNamingConvention", $"propertyNamingConvention must be one of {string.Join(", ", PropertyNames)}.");
            }
        }

        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await protocols.UpdateProtocolsSettingsAsync(
            http.GetApiCaller().Principal, new ProtocolsSettingsChanges(eventConvention, propertyConvention), http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : Settings(outcome.Value!);
    }

    private static IEnumerable<string> EventNames => Enum.GetValues<EventNamingConvention>().Select(NamingConventions.Name);

    private static IEnumerable<string> PropertyNames => Enum.GetValues<PropertyNamingConvention>().Select(NamingConventions.Name);

    private static IResult Settings(ProtocolsSettingsView view) => ApiResults.Data(new
    {
        settings = new
        {
            eventNamingConvention = NamingConventions.Name(view.EventNamingConvention),
            propertyNamingConvention = NamingConventions.Name(view.PropertyNamingConvention),
        },
        conventions = new
        {
            eventNaming = Enum.GetValues<EventNamingConvention>()
                .Select(c => new { name = NamingConventions.Name(c), description = NamingConventions.Describe(c) }).ToList(),
            propertyNaming = Enum.GetValues<PropertyNamingConvention>()
                .Select(c => new { name = NamingConventions.Name(c), description = NamingConventions.Describe(c) }).ToList(),
        },
    });
}
