namespace BackendSample.Infrastructure;

public enum OutcomeError
{
    None,
    NotFound,
    Conflict,
    Invalid,
}

/// <summary>What a command in a service produced: a value, or an expected failure the endpoint turns into ProblemDetails.</summary>
public readonly record struct Outcome<T>(T? Value, OutcomeError Error, string? Detail)
{
    public bool Succeeded => Error == OutcomeError.None;

    public static Outcome<T> Success(T value) => new(value, OutcomeError.None, null);

    public static Outcome<T> NotFound(string detail) => new(default, OutcomeError.NotFound, detail);

    public static Outcome<T> Conflict(string detail) => new(default, OutcomeError.Conflict, detail);

    public static Outcome<T> Invalid(string detail) => new(default, OutcomeError.Invalid, detail);

    public int StatusCode => Error switch
    {
        OutcomeError.None => StatusCodes.Status200OK,
        OutcomeError.NotFound => StatusCodes.Status404NotFound,
        OutcomeError.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };
}
