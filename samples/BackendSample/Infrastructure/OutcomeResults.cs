using Microsoft.AspNetCore.Http.HttpResults;

namespace BackendSample.Infrastructure;

public static class OutcomeResults
{
    /// <summary>Turns an expected failure of a service command into an RFC 9457 problem response.</summary>
    public static ProblemHttpResult ToProblem<T>(this Outcome<T> outcome) =>
        TypedResults.Problem(detail: outcome.Detail, statusCode: outcome.StatusCode);
}
