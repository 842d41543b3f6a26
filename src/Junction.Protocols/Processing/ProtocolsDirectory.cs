using System.Collections.Frozen;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Junction.Protocols.ControlPlane;
using Junction.Protocols.Controls;
using Junction.Protocols.Plans;
using Junction.Protocols.Transformations;
using Junction.Workspace;
using Junction.Workspace.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Junction.Protocols.Processing;

/// <summary>
/// What access decisions need about a tracking plan: whose it is and what it is called; and, when its rules do not
/// compile, why (the processor then treats its sources as having no plan).
/// </summary>
internal sealed record TrackingPlanInfo(string Id, string WorkspaceId, string Name, string? CompileProblem = null);

/// <summary>What access decisions need about a transformation: whose it is and which source it belongs to.</summary>
internal sealed record TransformationInfo(string Id, string WorkspaceId, string SourceId, string Name);

/// <summary>
/// An in-memory snapshot of every source's Protocols configuration for the processor: its tracking plan compiled
/// once (shared by every source connected to it), its schema controls and its enabled transformations compiled, so
/// that <see cref="ForSource"/> is one dictionary lookup per event. The control plane reloads it after every change
/// it saves; it is also reloaded every few seconds so that changes made elsewhere (a source deleted with its settings,
/// another process) are seen. A reload reads the rules' schemas only for plans whose rules changed, and compiles only
/// what changed. A plan that does not compile, or a transformation, is logged and left out (its sources then have no
/// plan, or not that transformation) rather than stopping the processor. Access decisions read
/// <see cref="FindPlan"/> and <see cref="FindTransformation"/>, never the database.
/// </summary>
internal sealed partial class ProtocolsDirectory(
    IDbContextFactory<JunctionDbContext> contexts,
    TimeProvider time,
    ILogger<ProtocolsDirectory> logger) : PolledSnapshot(time, logger), IProtocolsDirectory
{
    private volatile Snapshot _snapshot = Snapshot.Empty;

    public SourceProtocols? ForSource(string sourceId) => _snapshot.BySource.GetValueOrDefault(sourceId);

    /// <summary>Who a plan belongs to, and whether it compiles.</summary>
    public TrackingPlanInfo? FindPlan(string trackingPlanId) => _snapshot.Plans.GetValueOrDefault(trackingPlanId);

    /// <summary>Who a transformation belongs to, including a disabled one.</summary>
    public TransformationInfo? FindTransformation(string transformationId) => _snapshot.Transformations.GetValueOrDefault(transformationId);

    protected override string What => "protocols";

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var plans = await db.TrackingPlans.AsNoTracking().OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        var ruleStamps = (await db.TrackingPlanRules.AsNoTracking()
                .Select(r => new RuleStamp(r.Id, r.TrackingPlanId, r.UpdatedAt, r.JsonSchema.Length))
                .ToListAsync(cancellationToken))
            .ToLookup(r => r.TrackingPlanId, StringComparer.Ordinal);
        var connections = await db.TrackingPlanSources.AsNoTracking().OrderBy(c => c.SourceId).ToListAsync(cancellationToken);
        var settings = await db.SourceSchemaSettings.AsNoTracking().OrderBy(s => s.SourceId).ToListAsync(cancellationToken);
        var transformations = await db.Transformations.AsNoTracking().OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken);
        var sources = await db.Sources.AsNoTracking().Select(s => new { s.Id, s.WorkspaceId })
            .ToDictionaryAsync(s => s.Id, s => s.WorkspaceId, StringComparer.Ordinal, cancellationToken);

        var planVersions = plans.ToDictionary(p => p.Id, p => PlanVersion(p, ruleStamps[p.Id]), StringComparer.Ordinal);
        var fingerprint = Fingerprint(planVersions, connections, settings, transformations, sources);
        var previous = _snapshot;
        if (fingerprint == previous.Fingerprint && !ReferenceEquals(previous, Snapshot.Empty))
        {
            return;
        }

        var compiledPlans = new Dictionary<string, CompiledPlanEntry>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            var version = planVersions[plan.Id];
            compiledPlans[plan.Id] = previous.CompiledPlans.TryGetValue(plan.Id, out var cached) && cached.Version == version
                ? cached
                : await CompilePlanAsync(db, plan, version, cancellationToken);
        }

        var compiledTransformations = new Dictionary<string, CompiledTransformationEntry>(StringComparer.Ordinal);
        foreach (var row in transformations.Where(t => t.Enabled))
        {
            var version = TransformationVersion(row);
            compiledTransformations[row.Id] = previous.CompiledTransformations.TryGetValue(row.Id, out var cached) && cached.Version == version
                ? cached
                : CompileTransformation(row, version);
        }

        var planInfos = plans.ToFrozenDictionary(
            p => p.Id, p => new TrackingPlanInfo(p.Id, p.WorkspaceId, p.Name, compiledPlans[p.Id].Problem), StringComparer.Ordinal);
        var transformationInfos = transformations.ToFrozenDictionary(
            t => t.Id, t => new TransformationInfo(t.Id, t.WorkspaceId, t.SourceId, t.Name), StringComparer.Ordinal);
        var bySource = BuildSources(planInfos, compiledPlans, connections, settings, transformations, compiledTransformations, sources);
        _snapshot = new Snapshot(planInfos, transformationInfos, bySource, compiledPlans, compiledTransformations, fingerprint);
    }

    private static FrozenDictionary<string, SourceProtocols> BuildSources(
        FrozenDictionary<string, TrackingPlanInfo> plans,
        Dictionary<string, CompiledPlanEntry> compiledPlans,
        List<TrackingPlanSourceEntity> connections,
        List<SourceSchemaSettingsEntity> settings,
        List<TransformationEntity> transformations,
        Dictionary<string, CompiledTransformationEntry> compiledTransformations,
        Dictionary<string, string> sources)
    {
        var planOf = connections.ToDictionary(c => c.SourceId, c => c.TrackingPlanId, StringComparer.Ordinal);
        var settingsOf = settings.ToDictionary(s => s.SourceId, StringComparer.Ordinal);
        var transformationsOf = transformations
            .Where(t => compiledTransformations.TryGetValue(t.Id, out var entry) && entry.Compiled is not null)
            .ToLookup(t => t.SourceId, StringComparer.Ordinal);
        var configured = planOf.Keys.Concat(settingsOf.Keys).Concat(transformationsOf.Select(g => g.Key)).Distinct(StringComparer.Ordinal);

        var bySource = new Dictionary<string, SourceProtocols>(StringComparer.Ordinal);
        foreach (var sourceId in configured)
        {
            if (!sources.TryGetValue(sourceId, out var workspaceId))
            {
                continue;
            }

            TrackingPlanInfo? plan = null;
            CompiledPlan? compiled = null;
            if (planOf.TryGetValue(sourceId, out var planId) && plans.TryGetValue(planId, out var info)
                && compiledPlans[planId].Compiled is { } ready)
            {
                plan = info;
                compiled = ready;
            }

            var controls = settingsOf.TryGetValue(sourceId, out var row) ? SchemaSettingsRows.ToSettings(row, workspaceId, sources) : SourceSchemaSettings.Default;
            var own = transformationsOf[sourceId].ToList();
            var sourceScoped = own.Where(t => t.DestinationMetadataId is null).Select(t => compiledTransformations[t.Id].Compiled!).ToArray();
            var destinationScoped = own.Where(t => t.DestinationMetadataId is not null)
                .GroupBy(t => t.DestinationMetadataId!, StringComparer.Ordinal)
                .ToFrozenDictionary(
                    g => g.Key,
                    g => (IReadOnlyList<CompiledTransformation>)g.Select(t => compiledTransformations[t.Id].Compiled!).ToArray(),
                    StringComparer.Ordinal);
            if (compiled is null && controls == SourceSchemaSettings.Default && own.Count == 0)
            {
                continue;
            }

            bySource[sourceId] = new SourceProtocols(sourceId, plan?.Id, plan?.Name, compiled, controls, sourceScoped, destinationScoped);
        }

        return bySource.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private async Task<CompiledPlanEntry> CompilePlanAsync(JunctionDbContext db, TrackingPlanEntity plan, long version, CancellationToken cancellationToken)
    {
        var rows = await db.TrackingPlanRules.AsNoTracking()
            .Where(r => r.TrackingPlanId == plan.Id)
            .OrderBy(r => r.Type).ThenBy(r => r.Key).ThenBy(r => r.Version)
            .ToListAsync(cancellationToken);
        try
        {
            var rules = rows.Select(r => new PlanRule(
                RuleTypes.Parse(r.Type) ?? throw new PlanException($"Rule {r.Id} has the unknown type \"{r.Type}\"."),
                r.Key.Length == 0 ? null : r.Key,
                r.Version,
                JsonSerializer.Deserialize<JsonElement>(r.JsonSchema))).ToList();
            return new CompiledPlanEntry(version, PlanCompiler.Compile(rules), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPlanNotCompiled(logger, plan.Id, plan.Name, ex.Message, ex);
            return new CompiledPlanEntry(version, null, ex.Message);
        }
    }

    private CompiledTransformationEntry CompileTransformation(TransformationEntity row, long version)
    {
        try
        {
            return new CompiledTransformationEntry(version, TransformationCompiler.Compile(TransformationRows.ToDefinition(row)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTransformationNotCompiled(logger, row.Id, row.SourceId, ex.Message, ex);
            return new CompiledTransformationEntry(version, null);
        }
    }

    /// <summary>A hash of a plan and of the identity and last change of each of its rules, so that a rule changed makes a new version.</summary>
    private static long PlanVersion(TrackingPlanEntity plan, IEnumerable<RuleStamp> rules)
    {
        var text = new StringBuilder().Append(plan.Id).Append('\u001f').Append(plan.Name);
        foreach (var rule in rules.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            text.Append('\u001e').Append(rule.Id).Append('\u001f').Append(rule.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture))
                .Append('\u001f').Append(rule.SchemaLength.ToString(CultureInfo.InvariantCulture));
        }

        return Hash(text);
    }

    private static long TransformationVersion(TransformationEntity row) => Hash(new StringBuilder()
        .Append(row.Id).Append('\u001f').Append(row.Name).Append('\u001f').Append(row.SourceId).Append('\u001f').Append(row.DestinationMetadataId)
        .Append('\u001f').Append(row.Enabled).Append('\u001f').Append(row.If).Append('\u001f').Append(row.Drop).Append('\u001f').Append(row.NewEventName)
        .Append('\u001f').Append(row.PropertyRenamesJson).Append('\u001f').Append(row.PropertyValueTransformationsJson)
        .Append('\u001f').Append(row.FqlDefinedPropertiesJson));

    private static long Fingerprint(
        Dictionary<string, long> planVersions,
        List<TrackingPlanSourceEntity> connections,
        List<SourceSchemaSettingsEntity> settings,
        List<TransformationEntity> transformations,
        Dictionary<string, string> sources)
    {
        var text = new StringBuilder();
        foreach (var (id, version) in planVersions.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append('P').Append(id).Append(':').Append(version).Append(';');
        }

        foreach (var connection in connections)
        {
            text.Append('C').Append(connection.SourceId).Append(':').Append(connection.TrackingPlanId).Append(';');
        }

        foreach (var row in settings)
        {
            text.Append('S').Append(row.SourceId).Append(':').Append(SchemaSettingsRows.Describe(row)).Append(';');
        }

        foreach (var row in transformations)
        {
            text.Append('T').Append(TransformationVersion(row)).Append(';');
        }

        // The sources that exist: a forwarding target deleted, or a configured source deleted, changes the snapshot.
        foreach (var (id, workspaceId) in sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append('s').Append(id).Append(':').Append(workspaceId).Append(';');
        }

        return Hash(text);
    }

    private static long Hash(StringBuilder text) => (long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(text.ToString()));

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Tracking plan {TrackingPlanId} (\"{Name}\") does not compile, so its sources are treated as having no plan: {Problem}")]
    private static partial void LogPlanNotCompiled(ILogger logger, string trackingPlanId, string name, string problem, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transformation {TransformationId} of source {SourceId} does not compile and is left out: {Problem}")]
    private static partial void LogTransformationNotCompiled(ILogger logger, string transformationId, string sourceId, string problem, Exception error);

    private sealed record RuleStamp(string Id, string TrackingPlanId, DateTimeOffset UpdatedAt, int SchemaLength);

    private sealed record CompiledPlanEntry(long Version, CompiledPlan? Compiled, string? Problem);

    private sealed record CompiledTransformationEntry(long Version, CompiledTransformation? Compiled);

    private sealed record Snapshot(
        FrozenDictionary<string, TrackingPlanInfo> Plans,
        FrozenDictionary<string, TransformationInfo> Transformations,
        FrozenDictionary<string, SourceProtocols> BySource,
        Dictionary<string, CompiledPlanEntry> CompiledPlans,
        Dictionary<string, CompiledTransformationEntry> CompiledTransformations,
        long Fingerprint)
    {
        public static readonly Snapshot Empty = new(
            FrozenDictionary<string, TrackingPlanInfo>.Empty,
            FrozenDictionary<string, TransformationInfo>.Empty,
            FrozenDictionary<string, SourceProtocols>.Empty,
            new Dictionary<string, CompiledPlanEntry>(StringComparer.Ordinal),
            new Dictionary<string, CompiledTransformationEntry>(StringComparer.Ordinal),
            0);
    }
}
