using Microsoft.AspNetCore.Http;

namespace Junction.Workspace.PublicApi;

/// <summary>Answers a service's <see cref="Problem"/> in the Public API's error envelope.</summary>
internal static class ProblemResults
{
    public static IResult ToApiResult(this Problem problem) => problem.Kind switch
    {
        ProblemKind.NotFound => ApiResults.Error(StatusCodes.Status404NotFound, "not-found", problem.Message, problem.Field),
        ProblemKind.Conflict => ApiResults.Conflict(problem.Message, problem.Field),
        ProblemKind.Forbidden => ApiResults.Forbidden(problem.Message),
        _ => ApiResults.Invalid(problem.Message, problem.Field),
    };
}
