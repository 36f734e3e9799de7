namespace BackendAnalyzers.Infrastructure
{
    /// <summary>Every rule ID of the package, in one place. IDs and titles are fixed by the rule catalog.</summary>
    internal static class RuleIds
    {
        // BA1xxx Validation and API contract
        public const string RequestModelNotValidated = "BA1001";
        public const string EntityBoundAsRequestModel = "BA1002";
        public const string EntityReturnedFromEndpoint = "BA1003";
        public const string EndpointWithoutCancellationToken = "BA1004";

        // BA2xxx Error handling
        public const string ExceptionSwallowed = "BA2001";
        public const string ExceptionDetailsReturned = "BA2002";
        public const string NoGlobalExceptionHandler = "BA2003";
        public const string ExceptionLoggedWithoutException = "BA2004";
        public const string BlockingOnAsync = "BA2005";
        public const string AsyncVoid = "BA2006";
        public const string FireAndForgetCapturesRequestServices = "BA2007";

        // BA3xxx Data access
        public const string QueryInsideLoop = "BA3001";
        public const string LazyNavigationInLoop = "BA3002";
        public const string SaveChangesInLoop = "BA3003";
        public const string MaterializedBeforeFiltering = "BA3004";
        public const string PagingWithoutOrder = "BA3005";
        public const string CollectionIncludesWithoutSplitQuery = "BA3006";
        public const string ReadOnlyQueryTracked = "BA3007";
        public const string FilterOnColumnWithoutIndex = "BA3008";
        public const string NonSargableComparison = "BA3009";
        public const string CountComparedToZero = "BA3010";
        public const string SynchronousQueryInAsyncMethod = "BA3011";

        // BA4xxx Pagination and bounded results
        public const string UnboundedListEndpoint = "BA4001";
        public const string UnboundedClientPageSize = "BA4002";
        public const string WholeTableLoaded = "BA4003";

        // BA5xxx Security
        public const string MutatingEndpointAllowsAnonymous = "BA5001";
        public const string SqlBuiltFromStrings = "BA5002";
        public const string TokenValidationDisabled = "BA5003";
        public const string HardCodedSecret = "BA5004";
        public const string CorsAnyOriginWithCredentials = "BA5005";
        public const string PasswordHashedWithFastHash = "BA5006";
        public const string SensitiveValueLogged = "BA5007";

        // BA6xxx Caching and integration
        public const string HttpClientCreatedPerCall = "BA6001";
        public const string CacheEntryNeverExpires = "BA6002";
        public const string CacheEntryWithoutSize = "BA6003";
        public const string ResponseUsedWithoutStatusCheck = "BA6004";
        public const string SignatureComparedInNonConstantTime = "BA6005";
    }

    /// <summary>Diagnostic categories, one per rule family.</summary>
    internal static class RuleCategories
    {
        public const string Validation = "Validation";
        public const string ErrorHandling = "ErrorHandling";
        public const string DataAccess = "DataAccess";
        public const string Pagination = "Pagination";
        public const string Security = "Security";
        public const string Integration = "Integration";
    }
}
