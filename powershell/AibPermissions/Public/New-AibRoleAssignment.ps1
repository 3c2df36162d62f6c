function New-AibRoleAssignment {
    <#
    .SYNOPSIS
        Assigns a role to a principal at a scope.

    .DESCRIPTION
        New-AibRoleAssignment grants a role to a principal (a managed identity's PrincipalId, a
        user, a group or a service principal) at a scope, as New-AzRoleAssignment does. The
        assignment's GUID is derived from the scope, principal and role, so running it again
        returns the existing assignment with a warning instead of failing. For a just-created
        identity, -ObjectType ServicePrincipal lets Azure accept the assignment before the
        principal has replicated, and the command waits out the replication with progress.
        The scope, the object id and the role id are checked before anything is sent.

    .PARAMETER ObjectId
        The principal's object id (GUID). Piping an identity from New-AibUserAssignedIdentity
        binds its PrincipalId. Aliases: PrincipalId, Id.

    .PARAMETER RoleDefinitionName
        The role's name, such as 'Reader' or a custom role's name, looked up at the scope.

    .PARAMETER RoleDefinitionId
        The role's GUID or its full role definition id. Prefer it for a role created moments
        ago: name lookups can miss a new role for a while.

    .PARAMETER Scope
        The scope of the assignment, such as /subscriptions/<id>/resourceGroups/<name>.
        Leave out both -Scope and -ResourceGroupName for the subscription.

    .PARAMETER ResourceGroupName
        A resource group of the subscription, as a shorter way to give the scope.

    .PARAMETER ResourceName
        With -ResourceGroupName and -ResourceType: assigns at one resource, such as a gallery.

    .PARAMETER ResourceType
        The resource's type, such as Microsoft.Compute/galleries.

    .PARAMETER ParentResource
        The parent of a child resource, such as virtualNetworks/vnet for a subnet.

    .PARAMETER SubscriptionId
        The subscription for -ResourceGroupName or the subscription scope. Defaults to the
        connected context's.

    .PARAMETER ObjectType
        The principal's type as ARM names it: ServicePrincipal (managed identities), User,
        Group, ForeignGroup or Device. Alias: PrincipalType, as in New-AzRoleAssignment.
        Defaults to ServicePrincipal when an identity object is piped in.

    .PARAMETER Description
        A description stored on the assignment.

    .PARAMETER Condition
        An ABAC condition that limits the assignment.

    .PARAMETER ConditionVersion
        The condition language version; 2.0 when a condition is given without one.

    .EXAMPLE
        $identity = New-AibUserAssignedIdentity -Name 'aibIdentity' `
            -ResourceGroupName 'aib-images'
        $identity |
            New-AibRoleAssignment -RoleDefinitionId $role.Id `
                -ResourceGroupName 'aib-images' -ObjectType ServicePrincipal

        Assigns a custom role to a new identity; its PrincipalId binds to
        -ObjectId.

    .EXAMPLE
        New-AibRoleAssignment -ObjectId $principalId `
            -RoleDefinitionName 'Reader' `
            -Scope "/subscriptions/$sub/resourceGroups/aib-network"

        Gives a principal read access to a resource group.

    .OUTPUTS
        AibPermissions.RoleAssignment. RoleAssignmentId, Scope, DisplayName, RoleDefinitionName,
        RoleDefinitionId, ObjectId, ObjectType, Description, Condition, ConditionVersion, as in
        Az's PSRoleAssignment.

    .LINK
        New-AibRoleDefinition

    .LINK
        New-AibUserAssignedIdentity
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'RoleName')]
    [OutputType('AibPermissions.RoleAssignment')]
    param (
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [Alias('PrincipalId', 'Id')]
        [AllowEmptyString()]
        [string] $ObjectId,

        [Parameter(Mandatory, ParameterSetName = 'RoleName')]
        [Parameter(Mandatory, ParameterSetName = 'RoleNameResourceGroup')]
        [AllowEmptyString()]
        [string] $RoleDefinitionName,

        [Parameter(Mandatory, ParameterSetName = 'RoleId')]
        [Parameter(Mandatory, ParameterSetName = 'RoleIdResourceGroup')]
        [AllowEmptyString()]
        [string] $RoleDefinitionId,

        [Parameter(ParameterSetName = 'RoleName')]
        [Parameter(ParameterSetName = 'RoleId')]
        [AllowEmptyString()]
        [string] $Scope,

        [Parameter(Mandatory, ParameterSetName = 'RoleNameResourceGroup')]
        [Parameter(Mandatory, ParameterSetName = 'RoleIdResourceGroup')]
        [string] $ResourceGroupName,

        [Parameter(ParameterSetName = 'RoleNameResourceGroup')]
        [Parameter(ParameterSetName = 'RoleIdResourceGroup')]
        [string] $ResourceName,

        [Parameter(ParameterSetName = 'RoleNameResourceGroup')]
        [Parameter(ParameterSetName = 'RoleIdResourceGroup')]
        [string] $ResourceType,

        [Parameter(ParameterSetName = 'RoleNameResourceGroup')]
        [Parameter(ParameterSetName = 'RoleIdResourceGroup')]
        [string] $ParentResource,

        [string] $SubscriptionId,

        [Alias('PrincipalType')]
        [string] $ObjectType,

        [string] $Description,

        [string] $Condition,

        [string] $ConditionVersion
    )

    process {
        $pipelineItem = $_
        $fail = {
            param ($message, $field, $value)
            $PSCmdlet.WriteError((New-AibErrorRecord -Message $message -Field $field -Target $value))
        }

        if (-not (Test-AibGuid -Value $ObjectId)) {
            & $fail "ObjectId must be the principal's object id (a GUID); got '$ObjectId'." 'ObjectId' $ObjectId
            return
        }
        if ($PSCmdlet.ParameterSetName -like 'RoleName*' -and [string]::IsNullOrWhiteSpace($RoleDefinitionName)) {
            & $fail 'RoleDefinitionName is empty.' 'RoleDefinitionName' $RoleDefinitionName
            return
        }
        if ($PSCmdlet.ParameterSetName -like 'RoleId*') {
            $roleGuid = ($RoleDefinitionId -split '/')[-1]
            $isFullId = $RoleDefinitionId -match '^/.*/providers/Microsoft\.Authorization/roleDefinitions/[^/]+$'
            if (-not (Test-AibGuid -Value $roleGuid) -or ($RoleDefinitionId.Contains('/') -and -not $isFullId)) {
                & $fail "RoleDefinitionId must be a role definition GUID or a full role definition id; got '$RoleDefinitionId'." 'RoleDefinitionId' $RoleDefinitionId
                return
            }
        }
        $allowedTypes = 'ServicePrincipal', 'User', 'Group', 'ForeignGroup', 'Device'
        if ($ObjectType -and $allowedTypes -notcontains $ObjectType) {
            & $fail "ObjectType must be one of $($allowedTypes -join ', '); got '$ObjectType'." 'ObjectType' $ObjectType
            return
        }
        if ($ConditionVersion -and -not $Condition) {
            & $fail 'ConditionVersion needs -Condition.' 'ConditionVersion' $ConditionVersion
            return
        }

        $scopeSplat = @{
            Caller            = $PSCmdlet
            Scope             = $Scope
            ScopeGiven        = $PSBoundParameters.ContainsKey('Scope')
            SubscriptionId    = $SubscriptionId
            ResourceGroupName = $ResourceGroupName
            ResourceName      = $ResourceName
            ResourceType      = $ResourceType
            ParentResource    = $ParentResource
        }
        $scopeText = Get-AibAssignmentScope @scopeSplat
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

        $request = [ordered]@{
            scope       = $normalizedScope
            principalId = $ObjectId
        }
        if ($PSCmdlet.ParameterSetName -like 'RoleId*') {
            $request.roleDefinitionId = $RoleDefinitionId
            $roleText = $RoleDefinitionId
        } else {
            $request.roleDefinitionName = $RoleDefinitionName
            $roleText = $RoleDefinitionName
        }
        if (-not $ObjectType -and $null -ne $pipelineItem -and $pipelineItem.PSObject.TypeNames -contains 'AibPermissions.UserAssignedIdentity') {
            # A managed identity's principal is a service principal; saying so lets ARM accept
            # the assignment before the new principal has replicated.
            $ObjectType = 'ServicePrincipal'
        }
        if ($ObjectType) { $request.principalType = $ObjectType }
        if ($Description) { $request.description = $Description }
        if ($Condition) {
            $request.condition = $Condition
            $request.conditionVersion = '2.0'
            if ($ConditionVersion) { $request.conditionVersion = $ConditionVersion }
        }

        if (-not $PSCmdlet.ShouldProcess($normalizedScope, "Assign role '$roleText' to $ObjectId")) {
            return
        }
        Write-Verbose "[New-AibRoleAssignment] assigning '$roleText' to $ObjectId at $normalizedScope"
        try {
            $assignment = Invoke-AibNative -Operation 'roleAssignment.create' -Request $request -Activity "Assigning role '$roleText' to $ObjectId"
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $normalizedScope))
            return
        }
        if ((Get-AibProperty -InputObject $assignment -Name 'outcome') -eq 'Unchanged') {
            Write-Warning "[New-AibRoleAssignment] the assignment of '$roleText' to $ObjectId at $normalizedScope already existed; returning it unchanged."
        }
        ConvertTo-AibRoleAssignmentOutput -Assignment $assignment
    }
}
