namespace BackendSample.Infrastructure;

/// <summary>A page of a list endpoint. Page and size are clamped here, so no caller can ask for an unbounded page.</summary>
public readonly record struct PageRequest
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    // Keeps (Page - 1) * PageSize inside int.
    private const int MaxPage = int.MaxValue / MaxPageSize;

    private PageRequest(int page, int pageSize)
    {
        Page = page;
        PageSize = pageSize;
    }

    public int Page { get; }

    public int PageSize { get; }

    public int Skip => (Page - 1) * PageSize;

    public static PageRequest Create(int page, int pageSize) =>
        new(Math.Clamp(page, 1, MaxPage), Math.Clamp(pageSize, 1, MaxPageSize));
}

/// <summary>One page of results plus what a client needs to ask for the next one.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount)
{
    public int TotalPages => TotalCount == 0 ? 0 : (int)Math.Ceiling(TotalCount / (double)PageSize);

    public static PagedResult<T> From(IReadOnlyList<T> items, PageRequest paging, int totalCount) =>
        new(items, paging.Page, paging.PageSize, totalCount);
}
