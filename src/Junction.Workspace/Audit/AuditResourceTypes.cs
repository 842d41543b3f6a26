namespace Junction.Workspace.Audit;

/// <summary>The <c>resourceType</c> values audit entries use, upper-case like the Public API's resource types.</summary>
internal static class AuditResourceTypes
{
    public const string Workspace = "WORKSPACE";
    public const string Source = "SOURCE";
    public const string User = "USER";
    public const string UserGroup = "USER_GROUP";
    public const string Invite = "INVITE";
    public const string Label = "LABEL";
    public const string Token = "TOKEN";
    public const string Destination = "DESTINATION";
    public const string DestinationSubscription = "DESTINATION_SUBSCRIPTION";
    public const string DestinationFilter = "DESTINATION_FILTER";
}
