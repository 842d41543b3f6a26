using Junction.Protocols.Processing;

namespace Junction.Web.Sources.Schema;

/// <summary>The processor's block reasons (<see cref="BlockReasons"/>) in words, for the schema view and the debugger.</summary>
internal static class BlockWords
{
    /// <summary>What a reason means, or the code itself for one this page does not know.</summary>
    public static string Describe(string reason) => reason switch
    {
        BlockReasons.Unplanned => "Not in the tracking plan, and the source blocks unplanned events",
        BlockReasons.SchemaViolation => "Violates its tracking-plan rule, and the source blocks events with violations",
        BlockReasons.UnplannedAndSchemaViolation => "Has unplanned properties and violations, and the source blocks events with violations",
        BlockReasons.CommonSchemaViolation => "Fails the plan's common JSON Schema, and the source blocks such events",
        BlockReasons.EventSetting => "Blocked on the source's Schema tab",
        BlockReasons.Transformation => "Dropped by a transformation of the source",
        _ => reason,
    };
}
