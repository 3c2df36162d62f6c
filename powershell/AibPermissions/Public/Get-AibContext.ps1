function Get-AibContext {
    <#
    .SYNOPSIS
        Gets the session's connection context.

    .DESCRIPTION
        Get-AibContext returns the context that Connect-AibAccount or Start-AibEmulator set:
        the environment, endpoints, tenant, default subscription, account and token source. It returns
        nothing when the session is not connected. The context never holds a token or secret.

    .EXAMPLE
        Get-AibContext

        Shows where the session is connected.

    .EXAMPLE
        (Get-AibContext).SubscriptionId

        Gets the default subscription that commands use without -SubscriptionId.

    .OUTPUTS
        AibPermissions.Context. Environment, ArmEndpoint, AuthorityHost, TenantId, SubscriptionId,
        Account, CredentialKind (the token source: AzContext, AzureCli, AzureDeveloperCli,
        ServicePrincipal, ServicePrincipalCertificate, WorkloadIdentity, ManagedIdentity,
        DeviceCode or AccessToken) and TokenExpiresOn (for a token taken once).

    .LINK
        Connect-AibAccount
    #>
    [CmdletBinding()]
    [OutputType('AibPermissions.Context')]
    param ()

    if ($null -ne $script:AibSession.Context) {
        $script:AibSession.Context
    }
}
