using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.PublicApi;
using Junction.Workspace.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Junction.Protocols.ControlPlane;

/// <summary>
/// Tracking plans in the Public API, at Segment's paths and in its shapes (plans, rules with PUT replace, PATCH upsert
/// and DELETE, connected sources), plus Junction's own routes: a rule's history, adding a spec template's rules, and
/// importing a source's observed schema. Every rule is <see cref="ProtocolsService"/>'s; each route also declares its
/// access rule so that a caller without access is refused before its body is read.
/// </summary>
internal static class TrackingPlansApi
{
    public static RouteGroupBuilder MapTrackingPlansRoutes(this RouteGroupBuilder api)
    {
        api.MapGet("/tracking-plans", ListAsync).RequirePlans(AccessLevel.Read);
        api.MapPost("/tracking-plans", CreateAsync).RequirePlans(AccessLevel.Write);
        api.MapGet("/tracking-plans/{trackingPlanId}", GetAsync).RequirePlan(AccessLevel.Read);
        api.MapPatch("/tracking-plans/{trackingPlanId}", UpdateAsync).RequirePlan(AccessLevel.Write);
        api.MapDelete("/tracking-plans/{trackingPlanId}", DeleteAsync).RequirePlan(AccessLevel.Write);
        api.MapGet("/tracking-plans/{trackingPlanId}/rules", ListRulesAsync).RequirePlan(AccessLevel.Read);
        api.MapPut("/tracking-plans/{trackingPlanId}/rules", ReplaceRulesAsync).RequirePlan(AccessLevel.Write);
        api.MapPatch("/tracking-plans/{trackingPlanId}/rules", UpsertRulesAsync).RequirePlan(AccessLevel.Write);
        api.MapDelete("/tracking-plans/{trackingPlanId}/rules", DeleteRulesAsync).RequirePlan(AccessLevel.Write);
        api.MapGet("/tracking-plans/{trackingPlanId}/rules/{type}/history", KeylessHistoryAsync).RequirePlan(AccessLevel.Read);
        api.MapGet("/tracking-plans/{trackingPlanId}/rules/{type}/{ruleKey}/history", HistoryAsync).RequirePlan(AccessLevel.Read);
        api.MapGet("/tracking-plans/{trackingPlanId}/sources", ListSourcesAsync).RequirePlan(AccessLevel.Read);
        api.MapPost("/tracking-plans/{trackingPlanId}/sources", ConnectAsync).RequirePlan(AccessLevel.Write);
        api.MapDelete("/tracking-plans/{trackingPlanId}/sources", DisconnectAsync).RequirePlanConnectByQuery();
        api.MapPost("/tracking-plans/{trackingPlanId}/templates/{templateId}", AddTemplateAsync).RequirePlan(AccessLevel.Write);
        api.MapPost("/tracking-plans/{trackingPlanId}/import-schema/{sourceId}", ImportSchemaAsync).RequireImport();
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ProtocolsService protocols)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var type = http.Request.Query["type"].ToString();
        var outcome = await protocols.ListPlansAsync(
            http.GetApiCaller().Principal, type.Length == 0 ? null : type, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                trackingPlans = outcome.Value!.Items.Select(TrackingPlanV1.From).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ProtocolsService protocols)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var name = fields.String("name", required: true);
        var description = fields.String("description");
        var type = fields.String("type");
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await protocols.CreatePlanAsync(
            http.GetApiCaller().Principal, new NewTrackingPlan(name!, description, type ?? TrackingPlanTypes.Live), http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Created(new { trackingPlan = TrackingPlanV1.From(outcome.Value!) });
    }

    private static async Task<IResult> GetAsync(HttpContext http, string trackingPlanId, ProtocolsService protocols)
    {
        var outcome = await protocols.FindPlanAsync(http.GetApiCaller().Principal, trackingPlanId, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { trackingPlan = TrackingPlanV1.From(outcome.Value!) });
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string trackingPlanId, ProtocolsService protocols)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var changes = new TrackingPlanChanges(fields.String("name"), fields.String("description"));
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await protocols.UpdatePlanAsync(http.GetApiCaller().Principal, trackingPlanId, changes, http.RequestAborted);
        return Status(outcome.Problem);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, string trackingPlanId, ProtocolsService protocols) =>
        Status((await protocols.DeletePlanAsync(http.GetApiCaller().Principal, trackingPlanId, http.RequestAborted)).Problem);

    private static async Task<IResult> ListRulesAsync(HttpContext http, string trackingPlanId, ProtocolsService protocols)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await protocols.ListRulesAsync(http.GetApiCaller().Principal, trackingPlanId, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                rules = outcome.Value!.Items.Select(RuleV1.From).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static Task<IResult> ReplaceRulesAsync(HttpContext http, string trackingPlanId, ProtocolsService protocols) =>
        ChangeRulesAsync(http, upsert: false, rules => protocols.ReplaceRulesAsync(http.GetApiCaller().Principal, trackingPlanId, rules, http.RequestAborted));

    private static Task<IResult> UpsertRulesAsync(HttpContext http, string trackingPlanId, ProtocolsService protocols) =>
        ChangeRulesAsync(http, upsert: true, rules => protocols.UpsertRulesAsync(http.GetApiCaller().Principal, trackingPlanId, rules, http.RequestAborted));

    private static async Task<IResult> ChangeRulesAsync(HttpContext http, bool upsert, Func<List<RuleInput>, Task<Outcome<RulesChange>>> change)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var rules = RuleInputReader.ReadBody(fields, upsert);
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        return Status((await change(rules)).Problem);
    }

    private static async Task<IResult> DeleteRulesAsync(HttpContext http, string trackingPlanId, ProtocolsService protocols)
    {
        var (rules, error) = RuleInputReader.ReadQuery(http.Request);
        if (error is not null)
        {
            return error;
        }

        return Status((await protocols.DeleteRulesAsync(http.GetApiCaller().Principal, trackingPlanId, rules, http.RequestAborted)).Problem);
    }

    private static Task<IResult> KeylessHistoryAsync(HttpContext http, string trackingPlanId, string type, ProtocolsService protocols) =>
        HistoryAsync(http, trackingPlanId, type, null, protocols);

    private static async Task<IResult> HistoryAsync(HttpContext http, string trackingPlanId, string type, string? ruleKey, ProtocolsService protocols)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        if (RuleTypes.Parse(type) is not { } ruleType)
        {
            return ApiResults.Invalid("type must be one of COMMON, TRACK, IDENTIFY, GROUP, PAGE, SCREEN.", "type");
        }

        int? version = null;
        if (http.Request.Query["version"].ToString() is { Length: > 0 } text)
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return ApiResults.Invalid("version must be a whole number from 1.", "version");
            }

            version = number;
        }

        var outcome = await protocols.RuleHistoryAsync(
            http.GetApiCaller().Principal, trackingPlanId, ruleType, ruleKey, version, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                history = outcome.Value!.Items.Select(RuleRevisionV1.From).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static async Task<IResult> ListSourcesAsync(HttpContext http, string trackingPlanId, ProtocolsService protocols)
    {
        if (!Pagination.TryRead(http.Request, out var page, out var error))
        {
            return error!;
        }

        var outcome = await protocols.ListPlanSourcesAsync(http.GetApiCaller().Principal, trackingPlanId, page.Offset, page.Count, http.RequestAborted);
        return outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new
            {
                sources = outcome.Value!.Items.Select(s => SourceV1.From(s, http.Request)).ToList(),
                pagination = page.Output(outcome.Value.TotalEntries),
            });
    }

    private static async Task<IResult> ConnectAsync(HttpContext http, string trackingPlanId, ProtocolsService protocols)
    {
        var read = await JsonBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (read.Error is not null)
        {
            return read.Error;
        }

        var fields = new JsonFields(read.Body);
        var sourceId = fields.String("sourceId", required: true);
        if (fields.Errors is { } invalid)
        {
            return invalid;
        }

        var outcome = await protocols.ConnectSourceAsync(http.GetApiCaller().Principal, trackingPlanId, sourceId!, http.RequestAborted);
        return outcome.Problem is { } problem ? problem.ToApiResult() : ApiResults.Created(new { status = outcome.Value });
    }

    private static async Task<IResult> DisconnectAsync(HttpContext http, string trackingPlanId, ProtocolsService protocols)
    {
        var sourceId = http.Request.Query["sourceId"].ToString();
        return Status((await protocols.DisconnectSourceAsync(http.GetApiCaller().Principal, trackingPlanId, sourceId, http.RequestAborted)).Problem);
    }

    private static async Task<IResult> AddTemplateAsync(HttpContext http, string trackingPlanId, string templateId, ProtocolsService protocols) =>
        Added(await protocols.AddTemplateAsync(http.GetApiCaller().Principal, trackingPlanId, templateId, http.RequestAborted));

    private static async Task<IResult> ImportSchemaAsync(HttpContext http, string trackingPlanId, string sourceId, ProtocolsService protocols)
    {
        TimeSpan? window = http.Request.Query["window"].ToString() switch
        {
            "" or "all" => null,
            "1d" or "24h" => TimeSpan.FromDays(1),
            "7d" => TimeSpan.FromDays(7),
            "30d" => TimeSpan.FromDays(30),
            _ => TimeSpan.MinValue,
        };
        if (window == TimeSpan.MinValue)
        {
            return ApiResults.Invalid("window must be 1d (or 24h), 7d, 30d or all.", "window");
        }

        var outcome = await protocols.ImportSchemaAsync(http.GetApiCaller().Principal, trackingPlanId, sourceId, window, http.RequestAborted);
        return Added(outcome);
    }

    /// <summary>What adding rules did: the rules added and those skipped (with why), in Junction's shape.</summary>
    public static IResult Added(Outcome<RulesAdded> outcome) =>
        outcome.Problem is { } problem
            ? problem.ToApiResult()
            : ApiResults.Data(new { added = outcome.Value!.Added, skipped = outcome.Value.Skipped });

    /// <summary>Segment's answer to a change: <c>{"status": "SUCCESS"}</c>, or the problem.</summary>
    private static IResult Status(Problem? problem) =>
        problem is not null ? problem.ToApiResult() : ApiResults.Data(new { status = "SUCCESS" });
}
