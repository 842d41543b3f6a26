namespace Junction.Workspace;

/// <summary>The kinds of expected failure a control-plane operation answers with instead of throwing.</summary>
internal enum ProblemKind
{
    NotFound,
    Invalid,
    Conflict,

    /// <summary>The caller is a member of the workspace but its roles do not allow the operation.</summary>
    Forbidden,
}

/// <summary>An expected failure: a message for a person and, when it is about one input, that input's name.</summary>
internal sealed record Problem(ProblemKind Kind, string Message, string? Field = null)
{
    public static Problem NotFound(string what) => new(ProblemKind.NotFound, $"{what} not found.");

    public static Problem Invalid(string message, string field) => new(ProblemKind.Invalid, message, field);

    public static Problem Conflict(string message, string field) => new(ProblemKind.Conflict, message, field);

    public static Problem Forbidden(string message) => new(ProblemKind.Forbidden, message);
}

/// <summary>The result of a control-plane operation: its value, or the <see cref="Problem"/> that prevented it.</summary>
internal readonly record struct Outcome<T>(T? Value, Problem? Problem)
    where T : class
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Problem problem) => new(null, problem);
}
