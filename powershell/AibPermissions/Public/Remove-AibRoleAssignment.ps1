function Remove-AibRoleAssignment {
    <#
    .SYNOPSIS
        Removes a role assignment.

    .DESCRIPTION
        Remove-AibRoleAssignment removes a role assignment, as Remove-AzRoleAssignment does:
        named by principal (-ObjectId), role (-RoleDefinitionName or -RoleDefinitionId) and
        scope (-Scope, -ResourceGroupName, or a resource), or as an assignment object piped in
        from Get-AibRoleAssignment. Only an assignment at exactly that scope is removed (a
        trailing '/' and letter case do not matter); assignments inherited from above or
        made below are left alone. When nothing matches, the command fails with an
        ObjectNotFound error saying the input does not map to a role assignment.
        It asks for confirmation first (ConfirmImpact High); -Force or -Confirm:$false skip
        the prompt.

    .PARAMETER ObjectId
        The principal's object id (GUID). Aliases: PrincipalId, Id.

    .PARAMETER RoleDefinitionName
        The role's name, compared case-insensitively.

    .PARAMETER RoleDefinitionId
        The role's GUID or full role definition id.

    .PARAMETER Scope
        The assignment's scope. Leave out both -Scope and -ResourceGroupName for the subscription.

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

    .PARAMETER InputObject
        A role assignment object, as Get-AibRoleAssignment and New-AibRoleAssignment return.
        Binds from the pipeline.

    .PARAMETER Force
        Removes without asking, unless -Confirm is also given.

    .PARAMETER PassThru
        Writes each removed assignment.

    .EXAMPLE
        Remove-AibRoleAssignment -ObjectId $identity.PrincipalId `
            -RoleDefinitionName 'Reader' -ResourceGroupName 'aib-images' `
            -Force

        Removes the identity's Reader assignment on the aib-images group without
        a prompt.

    .EXAMPLE
        Get-AibRoleAssignment -ObjectId $identity.PrincipalId `
            -ResourceGroupName 'aib-images' |
            Where-Object Scope -like '*/aib-images' |
            Remove-AibRoleAssignment -WhatIf

        Shows which of the identity's assignments on the group would be removed,
        without removing them.

    .OUTPUTS
        AibPermissions.RoleAssignment, with -PassThru only.

    .LINK
        Get-AibRoleAssignment

    .LINK
        New-AibRoleAssignment
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'RoleName')]
    [OutputType('AibPermissions.RoleAssignment')]
    param (
        [Parameter(Mandatory, ParameterSetName = 'RoleName', ValueFromPipelineByPropertyName)]
        [Parameter(Mandatory, ParameterSetName = 'RoleNameResourceGroup', ValueFromPipelineByPropertyName)]
        [Parameter(Mandatory, ParameterSetName = 'RoleId', ValueFromPipelineByPropertyName)]
        [Parameter(Mandatory, ParameterSetName = 'RoleIdResourceGroup', ValueFromPipelineByPropertyName)]
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

        [Parameter(ParameterSetName = 'RoleName')]
        [Parameter(ParameterSetName = 'RoleId')]
        [Parameter(ParameterSetName = 'RoleNameResourceGroup')]
        [Parameter(ParameterSetName = 'RoleIdResourceGroup')]
        [string] $SubscriptionId,

        [Parameter(Mandatory, Position = 0, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [PSTypeName('AibPermissions.RoleAssignment')]
        [object] $InputObject,

        [switch] $Force,

        [switch] $PassThru
    )

    begin {
        if ($Force -and -not $PSBoundParameters.ContainsKey('Confirm')) {
            $ConfirmPreference = 'None'
        }
    }

    process {
        $fail = {
            param ($message, $field, $value)
            $PSCmdlet.WriteError((New-AibErrorRecord -Message $message -Field $field -Target $value))
        }
        if ($PSCmdlet.ParameterSetName -eq 'InputObject') {
            $assignmentId = [string](Get-AibProperty -InputObject $InputObject -Name 'RoleAssignmentId')
            $assignmentScope = [string](Get-AibProperty -InputObject $InputObject -Name 'Scope')
            $assignmentGuid = ($assignmentId -split '/')[-1]
            if (-not (Test-AibGuid -Value $assignmentGuid) -or -not $assignmentScope) {
                & $fail "The role assignment object has no usable RoleAssignmentId and Scope; got '$assignmentId'." 'RoleAssignmentId' $assignmentId
                return
            }
            $targets = @([pscustomobject]@{ id = $assignmentId; name = $assignmentGuid; scope = $assignmentScope; assignment = $InputObject })
        } else {
            if (-not (Test-AibGuid -Value $ObjectId)) {
                & $fail "ObjectId must be the principal's object id (a GUID); got '$ObjectId'." 'ObjectId' $ObjectId
                return
            }
            $roleGuid = $null
            if ($PSCmdlet.ParameterSetName -like 'RoleId*') {
                $roleGuid = ($RoleDefinitionId -split '/')[-1]
                $isFullId = $RoleDefinitionId -match '^/.*/providers/Microsoft\.Authorization/roleDefinitions/[^/]+$'
                if (-not (Test-AibGuid -Value $roleGuid) -or ($RoleDefinitionId.Contains('/') -and -not $isFullId)) {
                    & $fail "RoleDefinitionId must be a role definition GUID or a full role definition id; got '$RoleDefinitionId'." 'RoleDefinitionId' $RoleDefinitionId
                    return
                }
            } elseif ([string]::IsNullOrWhiteSpace($RoleDefinitionName)) {
                & $fail 'RoleDefinitionName is empty.' 'RoleDefinitionName' $RoleDefinitionName
                return
            }
            $splat = @{
                Caller            = $PSCmdlet
                Scope             = $Scope
                ScopeGiven        = $PSBoundParameters.ContainsKey('Scope')
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
                $normalizedScope = [string]$parsedScope.scope
                if (-not $roleGuid) {
                    Write-Verbose "[Remove-AibRoleAssignment] looking up role '$RoleDefinitionName' at $normalizedScope"
                    $roles = Invoke-AibNative -Operation 'roleDefinition.list' -Request ([ordered]@{ scope = $normalizedScope; roleName = $RoleDefinitionName })
                    $roleGuids = @(Get-AibProperty -InputObject $roles -Name 'value' | Where-Object {
                            $null -ne $_ -and [string]::Equals([string]$_.roleName, $RoleDefinitionName, [System.StringComparison]::OrdinalIgnoreCase)
                        } | ForEach-Object { [string]$_.name })
                } else {
                    $roleGuids = @($roleGuid)
                }
                Write-Verbose "[Remove-AibRoleAssignment] listing role assignments of $ObjectId at $normalizedScope"
                $listed = Invoke-AibNative -Operation 'roleAssignment.list' -Request ([ordered]@{ scope = $normalizedScope; principalId = $ObjectId; atScope = $true })
            } catch [AibPermissions.NativeException] {
                $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $scopeText))
                return
            }
            # Exactly this scope: inherited assignments are not removed from here.
            $wanted = $normalizedScope.TrimEnd('/')
            $targets = @(Get-AibProperty -InputObject $listed -Name 'value' | Where-Object {
                    $null -ne $_ -and
                    [string]::Equals(([string]$_.scope).TrimEnd('/'), $wanted, [System.StringComparison]::OrdinalIgnoreCase) -and
                    $roleGuids -contains (([string]$_.roleDefinitionId -split '/')[-1])
                } | ForEach-Object {
                    [pscustomobject]@{ id = [string]$_.id; name = [string]$_.name; scope = [string]$_.scope; assignment = $_ }
                })
            if ($targets.Count -eq 0) {
                $role = $RoleDefinitionName
                if ($roleGuid) { $role = $roleGuid }
                $message = "The provided information does not map to a role assignment: no assignment of role '$role' to $ObjectId at exactly $normalizedScope."
                $exception = New-Object -TypeName System.Management.Automation.ItemNotFoundException -ArgumentList $message
                $PSCmdlet.WriteError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'RoleAssignmentNotFound', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $normalizedScope))
                return
            }
        }

        foreach ($item in $targets) {
            if (-not $PSCmdlet.ShouldProcess($item.id, 'Remove role assignment')) {
                continue
            }
            Write-Verbose "[Remove-AibRoleAssignment] deleting $($item.id)"
            try {
                $result = Invoke-AibNative -Operation 'roleAssignment.delete' -Request ([ordered]@{ scope = $item.scope; name = $item.name }) -Activity "Removing role assignment $($item.name)"
            } catch [AibPermissions.NativeException] {
                $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $item.id))
                continue
            }
            if ((Get-AibProperty -InputObject $result -Name 'outcome') -eq 'NotFound') {
                Write-Warning "[Remove-AibRoleAssignment] role assignment $($item.id) was already gone."
            }
            if ($PassThru) {
                if ($item.assignment.PSObject.TypeNames -contains 'AibPermissions.RoleAssignment') {
                    $item.assignment
                } else {
                    ConvertTo-AibRoleAssignmentOutput -Assignment $item.assignment
                }
            }
        }
    }
}
