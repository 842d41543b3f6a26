using System.Text.Json;
using Junction.Subscriptions;

namespace Junction.Core.Tests.Subscriptions;

internal static class TriggerTestHelpers
{
    public static Trigger Compile(string text)
    {
        var result = Trigger.Parse(text);
        Assert.True(result.IsValid, $"Refused {text}: {result.Error}");
        return result.Trigger;
    }

    public static bool Matches(string trigger, string json)
    {
        using var document = JsonDocument.Parse(json);
        return Compile(trigger).Matches(document.RootElement);
    }

    public static TriggerError Refused(string text)
    {
        var result = Trigger.Parse(text);
        Assert.False(result.IsValid, $"Accepted {text} as {result.Trigger?.Tree}");
        return result.Error;
    }

    public static TriggerError RefusedTree(TriggerGroup tree)
    {
        var result = Trigger.FromTree(tree);
        Assert.False(result.IsValid, $"Accepted the tree as {result.Trigger?.Text}");
        return result.Error;
    }

    public static TriggerGroup All(params TriggerNode[] children) => new(TriggerJoin.And, children);

    public static TriggerGroup Any(params TriggerNode[] children) => new(TriggerJoin.Or, children);

    public static TriggerCondition Text(TriggerField field, TriggerOperator op, string text, string? path = null) => new(field, path, op, text);

    public static TriggerCondition Number(TriggerField field, string path, TriggerOperator op, double number) => new(field, path, op, Number: number);

    public static TriggerCondition Test(TriggerField field, string? path, TriggerOperator op) => new(field, path, op);
}
