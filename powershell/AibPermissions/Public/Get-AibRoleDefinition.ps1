function Get-AibRoleDefinition {
    <#
    .SYNOPSIS
        Gets role definitions: by name, by id, the custom ones, or all usable at a scope.

    .DESCRIPTION
        Get-AibRoleDefinition reads role definitions as Get-AzRoleDefinition does. Without
        parameters it lists every role usable at the connected subscription. -Name returns the
        role with exactly that name, compared case-insensitively (a quote or the word 'and' in
        the name is handled). -Id takes the role's GUID or its full role definition id.
        -Custom lists only custom roles. -Scope reads at another scope, such as a resource
        group; it defaults to the connected subscription.
        When nothing matches, a warning says so: a role created moments ago can take a while
        to show up in Azure's lists and lookups.

    .PARAMETER Name
        The role's name (for example 'Reader'), matched exactly but case-insensitively.

    .PARAMETER Id
        The role's GUID or its full role definition id
        (/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>).

    .PARAMETER Custom
        Lists only custom roles.

    .PARAMETER Scope
        The scope to read at. Defaults to /subscriptions/<the connected subscription>, or to
        the scope inside a full id given to -Id.

    .EXAMPLE
        Get-AibRoleDefinition -Name 'Contributor'

        Gets the built-in Contributor role.

    .EXAMPLE
        Get-AibRoleDefinition -Custom `
            -Scope "/subscriptions/$sub/resourceGroups/aib-images"

        Lists the custom roles that can be assigned in the aib-images resource
        group.

    .EXAMPLE
        Get-AibRoleDefinition -Id 'b24988ac-6180-42a0-ab88-20f7382dd24c'

        Gets a role by its GUID.

    .OUTPUTS
        AibPermissions.RoleDefinition. Name, Id (GUID), IsCustom, Description, Actions,
        NotActions, DataActions, NotDataActions, AssignableScopes as in Az's PSRoleDefinition,
        plus ResourceId (the full ARM id).

    .LINK
        New-AibRoleDefinition

    .LINK
        Set-AibRoleDefinition

    .LINK
        Remove-AibRoleDefinition
    #>
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    [OutputType('AibPermissions.RoleDefinition')]
    param (
        [Parameter(Position = 0, ParameterSetName = 'Name')]
        [AllowEmptyString()]
        [string] $Name,

        [Parameter(Mandatory, ParameterSetName = 'Id', ValueFromPipelineByPropertyName)]
        [AllowEmptyString()]
        [string] $Id,

        [Parameter(Mandatory, ParameterSetName = 'Custom')]
        [switch] $Custom,

        [string] $Scope
    )

    process {
        $roleGuid = $null
        $scopeText = $Scope
        if ($PSCmdlet.ParameterSetName -eq 'Id') {
            $roleGuid = ($Id -split '/')[-1]
            $isFullId = $Id -match '^(?<scope>/.*)?/providers/Microsoft\.Authorization/roleDefinitions/[^/]+$'
            if (-not (Test-AibGuid -Value $roleGuid) -or ($Id.Contains('/') -and -not $isFullId)) {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message "Id must be a role definition GUID or a full role definition id; got '$Id'." -Field 'Id' -Target $Id))
                return
            }
            if (-not $scopeText -and $isFullId) {
                $scopeText = $Matches['scope']
                if (-not $scopeText) {
                    $scopeText = '/'
                }
            }
        }
        if ($PSCmdlet.ParameterSetName -eq 'Name' -and $PSBoundParameters.ContainsKey('Name') -and [string]::IsNullOrWhiteSpace($Name)) {
            $PSCmdlet.WriteError((New-AibErrorRecord -Message 'Name is empty; leave it out to list every role.' -Field 'Name' -Target $Name))
            return
        }
        if (-not $scopeText) {
            $subscription = Resolve-AibSubscriptionId
            if (-not (Test-AibGuid -Value $subscription)) {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message 'No scope: pass -Scope or connect with a subscription.' -Field 'Scope' -Target $subscription))
                return
            }
            $scopeText = "/subscriptions/$subscription"
        }

        if ($roleGuid) {
            Write-Verbose "[Get-AibRoleDefinition] reading role definition $roleGuid at $scopeText"
            try {
                $role = Invoke-AibNative -Operation 'roleDefinition.get' -Request ([ordered]@{ scope = $scopeText; name = $roleGuid })
            } catch [AibPermissions.NativeException] {
                if ($_.Exception.HttpStatus -eq 404 -and $_.Exception.ArmCode -eq 'RoleDefinitionDoesNotExist') {
                    Write-Warning "[Get-AibRoleDefinition] no role definition with id $roleGuid is visible at $scopeText. A role created moments ago can take a while to become visible; try again shortly."
                    return
                }
                $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $scopeText))
                return
            }
            ConvertTo-AibRoleDefinitionOutput -Role $role
            return
        }

        $request = [ordered]@{ scope = $scopeText }
        if ($Name) {
            $request.roleName = $Name
        }
        if ($Custom) {
            $request.customOnly = $true
        }
        Write-Verbose "[Get-AibRoleDefinition] listing role definitions at $scopeText"
        try {
            $result = Invoke-AibNative -Operation 'roleDefinition.list' -Request $request
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $scopeText))
            return
        }
        $found = 0
        foreach ($role in @(Get-AibProperty -InputObject $result -Name 'value')) {
            if ($null -eq $role) {
                continue
            }
            # The library already compares names exactly; checking again here keeps that
            # promise whatever a list returns.
            if ($Name -and -not [string]::Equals([string](Get-AibProperty -InputObject $role -Name 'roleName'), $Name, [System.StringComparison]::OrdinalIgnoreCase)) {
                continue
            }
            $found++
            ConvertTo-AibRoleDefinitionOutput -Role $role
        }
        if ($found -eq 0) {
            $what = 'no role definitions'
            if ($Name) {
                $what = "no role definition named '$Name'"
            } elseif ($Custom) {
                $what = 'no custom role definitions'
            }
            Write-Warning "[Get-AibRoleDefinition] $what found at $scopeText. A role created moments ago can take a while to become visible; try again shortly."
        }
    }
}
