namespace Junction.Workspace;

/// <summary>One page of items and how many there are in all: what the control-plane services answer for a list.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, int TotalEntries);
