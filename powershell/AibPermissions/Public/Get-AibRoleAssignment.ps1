function Get-AibRoleAssignment {
    <#
    .SYNOPSIS
        Gets role assignments: of a principal, at a scope, of a role.

    .DESCRIPTION
        Get-AibRoleAssignment lists role assignments as Get-AzRoleAssignment does. At a scope
        (-Scope, -ResourceGroupName, or a resource with -ResourceName -ResourceType
        [-ParentResource]) it returns the assignments that apply there: those at the scope and
        those inherited from above it. Scopes are compared segment by segment, so the
        resource group 'RG01' never brings in the assignments of 'RG'. Without a scope it
        lists the assignments of the whole connected subscription, including those below it.
        -ObjectId keeps one principal's assignments; piping an identity from
        Get-AibUserAssignedIdentity binds its PrincipalId. -RoleDefinitionName (matched
        exactly, case-insensitively) and -RoleDefinitionId (GUID or full id) keep one role's.
        RoleDefinitionName is filled in on each result.

    .PARAMETER ObjectId
        The principal's object id (GUID). Aliases: PrincipalId, Id.

    .PARAMETER RoleDefinitionName
        Keeps the assignments of the role with this name, compared case-insensitively.

    .PARAMETER RoleDefinitionId
        Keeps the assignments of the role with this GUID or full role definition id.

    .PARAMETER Scope
        The scope, such as /subscriptions/<id>/resourceGroups/<name>.

    .PARAMETER ResourceGroupName
        A resource group of the subscription, as a shorter way to give the scope.

    .PARAMETER ResourceName
        With -ResourceGroupName and -ResourceType: a resource as the scope.

    .PARAMETER ResourceType
        The resource's type, such as Microsoft.Compute/galleries.

    .PARAMETER ParentResource
        The parent of a child resource, such as virtualNetworks/vnet for a subnet.

    .PARAMETER SubscriptionId
        The subscription of the scope. Defaults to the connected context's.

    .EXAMPLE
        Get-AibUserAssignedIdentity -Name 'aibIdentity' `
            -ResourceGroupName 'aib-images' |
            Get-AibRoleAssignment

        Lists every role assignment of the Image Builder identity in the
        subscription.

    .EXAMPLE
        Get-AibRoleAssignment -ResourceGroupName 'aib-images' `
            -RoleDefinitionName 'contributor'

        Lists who holds Contributor on the aib-images group, directly or
        inherited from the subscription.

    .EXAMPLE
        Get-AibRoleAssignment -ResourceGroupName 'aib-network' `
            -ResourceName 'build' `
            -ResourceType 'Microsoft.Network/virtualNetworks/subnets' `
            -ParentResource 'virtualNetworks/vnet'

        Lists the assignments that apply to one subnet.

    .OUTPUTS
        AibPermissions.RoleAssignment. RoleAssignmentId, Scope, DisplayName, RoleDefinitionName,
        RoleDefinitionId, ObjectId, ObjectType, Description, Condition, ConditionVersion, as in
        Az's PSRoleAssignment.

    .LINK
        New-AibRoleAssignment

    .LINK
        Remove-AibRoleAssignment
    #>
    [CmdletBinding(DefaultParameterSetName = 'Subscription')]
    [OutputType('AibPermissions.RoleAssignment')]
    param (
        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('PrincipalId', 'Id')]
        [string] $ObjectId,

        [string] $RoleDefinitionName,

        [string] $RoleDefinitionId,

        [Parameter(Mandatory, ParameterSetName = 'Scope')]
        [string] $Scope,

        [Parameter(Mandatory, ParameterSetName = 'ResourceGroup')]
        [string] $ResourceGroupName,

        [Parameter(ParameterSetName = 'ResourceGroup')]
        [string] $ResourceName,

        [Parameter(ParameterSetName = 'ResourceGroup')]
        [string] $ResourceType,

        [Parameter(ParameterSetName = 'ResourceGroup')]
        [string] $ParentResource,

        [Parameter(ParameterSetName = 'Subscription')]
        [Parameter(ParameterSetName = 'ResourceGroup')]
        [string] $SubscriptionId
    )

    process {
        if ($ObjectId -and -not (Test-AibGuid -Value $ObjectId)) {
            $PSCmdlet.WriteError((New-AibErrorRecord -Message "ObjectId must be the principal's object id (a GUID); got '$ObjectId'." -Field 'ObjectId' -Target $ObjectId))
            return
        }
        if ($RoleDefinitionName -and $RoleDefinitionId) {
            $PSCmdlet.WriteError((New-AibErrorRecord -Message 'Pass either -RoleDefinitionName or -RoleDefinitionId, not both.' -Field 'RoleDefinitionId' -Target $RoleDefinitionId))
            return
        }
        $roleGuid = $null
        if ($RoleDefinitionId) {
            $roleGuid = ($RoleDefinitionId -split '/')[-1]
            $isFullId = $RoleDefinitionId -match '^/.*/providers/Microsoft\.Authorization/roleDefinitions/[^/]+$'
            if (-not (Test-AibGuid -Value $roleGuid) -or ($RoleDefinitionId.Contains('/') -and -not $isFullId)) {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message "RoleDefinitionId must be a role definition GUID or a full role definition id; got '$RoleDefinitionId'." -Field 'RoleDefinitionId' -Target $RoleDefinitionId))
                return
            }
        }
        $splat = @{
            Caller            = $PSCmdlet
            Scope             = $Scope
            ScopeGiven        = $PSCmdlet.ParameterSetName -eq 'Scope'
            SubscriptionId    = $SubscriptionId
            ResourceGroupName = $ResourceGroupName
            ResourceName      = $ResourceName
            ResourceType      = $ResourceType
            ParentResource    = $ParentResource
        }
        $scopeText = Get-AibAssignmentScope @splat
        if ($null -eq $scopeText) {
            return
        }
        try {
            $parsedScope = Invoke-AibNative -Operation 'scope_parse' -Request @{ scope = $scopeText } -Offline
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $scopeText))
            return
        }
        $normalizedScope = [string]$parsedScope.scope

        # A scope given by the caller shows what applies there (at it and above); the
        # subscription default lists everything in the subscription, as Az does.
        $request = [ordered]@{ scope = $normalizedScope; atScope = ($PSCmdlet.ParameterSetName -ne 'Subscription') }
        if ($ObjectId) {
            $request.principalId = $ObjectId
        }
        Write-Verbose "[Get-AibRoleAssignment] listing role assignments at $normalizedScope"
        try {
            $result = Invoke-AibNative -Operation 'roleAssignment.list' -Request $request
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $normalizedScope))
            return
        }

        # Role names, read once per role: ARM's list carries only the role's id.
        # Limit: DisplayName stays empty (it needs Microsoft Graph, which the module does not call).
        $roleNames = @{}
        foreach ($assignment in @(Get-AibProperty -InputObject $result -Name 'value')) {
            if ($null -eq $assignment) {
                continue
            }
            $assignmentRoleGuid = ([string]$assignment.roleDefinitionId -split '/')[-1]
            if ($roleGuid -and $assignmentRoleGuid -ne $roleGuid) {
                continue
            }
            $key = $assignmentRoleGuid.ToLowerInvariant()
            if (-not $roleNames.ContainsKey($key)) {
                $known = [string](Get-AibProperty -InputObject $assignment -Name 'roleDefinitionName')
                if (-not $known) {
                    try {
                        $role = Invoke-AibNative -Operation 'roleDefinition.get' -Request ([ordered]@{ scope = [string]$assignment.scope; name = $assignmentRoleGuid })
                        $known = [string]$role.roleName
                    } catch [AibPermissions.NativeException] {
                        Write-Verbose "[Get-AibRoleAssignment] the name of role $assignmentRoleGuid could not be read: $($_.Exception.Message)"
                    }
                }
                $roleNames[$key] = $known
            }
            if ($RoleDefinitionName -and -not [string]::Equals($roleNames[$key], $RoleDefinitionName, [System.StringComparison]::OrdinalIgnoreCase)) {
                continue
            }
            $output = ConvertTo-AibRoleAssignmentOutput -Assignment $assignment
            if (-not $output.RoleDefinitionName) {
                $output.RoleDefinitionName = $roleNames[$key]
            }
            $output
        }
    }
}
