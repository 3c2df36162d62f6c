function Get-AibRecommendedAction {
    # The fix for a native failure in PowerShell terms (parameters, commands), when it is
    # known; $null otherwise. Decided by ARM code and status, never by message text. For
    # the ARM codes below it replaces the library's advice, which cannot name parameters.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory)]
        [AibPermissions.NativeException] $Exception,

        [AllowNull()]
        [object] $Target
    )

    $where = 'the scope'
    if ($Target -is [string] -and $Target.StartsWith('/')) {
        $where = $Target
    }
    $code = [string]$Exception.ArmCode
    switch -Regex ($code) {
        '^(AuthorizationFailed|LinkedAuthorizationFailed)$' {
            return "Connect as an account allowed to write role assignments at ${where}: it needs Microsoft.Authorization/roleAssignments/write there (and Microsoft.Authorization/roleDefinitions/write to create custom roles), as the User Access Administrator and Owner roles grant."
        }
        '^PrincipalNotFound$' {
            return 'A new identity takes a while to reach the directory: run again with a larger -ReplicationTimeoutSeconds (Grant-AibPermission), and pass -ObjectType ServicePrincipal for a managed identity so ARM accepts it before replication ends. Otherwise check -ObjectId.'
        }
        '^RoleDefinitionWithSameNameExists$' {
            return 'Choose another role name: -RoleName with -Scenario, or the Name of the role file or -Role object. Or remove the role definition that holds the name, if nothing uses it.'
        }
        '^(ExpiredAuthenticationToken|InvalidAuthenticationToken|InvalidAuthenticationTokenAudience|AuthenticationFailed)$' {
            return 'Run Connect-AibAccount again; check -Environment or -ArmEndpoint and the audience for a custom cloud.'
        }
    }
    # Otherwise the library's advice, when it has some, is the most specific.
    if ($Exception.RecommendedAction) {
        return $Exception.RecommendedAction
    }
    if ($Exception.StatusName -eq 'CONFLICT' -and $Exception.Target -eq 'roleName') {
        return 'Choose another role name: -RoleName with -Scenario, or the Name of the role file or -Role object. Or remove or align the role definition that holds the name.'
    }
    if ($Exception.StatusName -eq 'TRANSPORT') {
        return 'Check that the ARM endpoint shown by Get-AibContext is reachable from this machine (proxy, firewall, -CaCertificatePath for a private CA), then run again.'
    }
    return $null
}
