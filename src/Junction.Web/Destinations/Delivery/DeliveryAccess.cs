using Junction.Destinations.ControlPlane;
using Junction.Workspace;
using Junction.Workspace.Access;
using Junction.Workspace.Sources;

namespace Junction.Web.Destinations.Delivery;

/// <summary>
/// The delivery journal's access rule, as its Public API routes apply it (<c>DeliveryJournalApi</c>): reading a
/// destination's deliveries, traces and failed events needs Source Read-only or Source Admin on the destination's
/// source (or Workspace Owner); re-sending needs Source Admin on it. The journal's queries take no principal, so the
/// pages call this before every read and every re-send, with the source as it is now (a source relabelled out of
/// reach while the page is open is refused at the next read).
/// </summary>
internal static class DeliveryAccess
{
    /// <summary>Not found, forbidden, or null when <paramref name="principal"/> has <paramref name="needed"/> access.</summary>
    public static Problem? Check(Principal principal, AccessLevel needed, DestinationView destination, ISourceLookup sources)
    {
        if (destination.WorkspaceId != principal.WorkspaceId)
        {
            return Problem.NotFound("Destination");
        }

        var action = needed == AccessLevel.Write ? "Re-sending events of the destinations of" : "Reading the deliveries of";
        return SourceAccess.Check(principal, needed, sources.FindById(destination.SourceId), action);
    }
}
