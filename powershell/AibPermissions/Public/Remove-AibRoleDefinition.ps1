function Remove-AibRoleDefinition {
    <#
    .SYNOPSIS
        Deletes a custom role definition that no role assignment uses.

    .DESCRIPTION
        Remove-AibRoleDefinition deletes a custom role, as Remove-AzRoleDefinition does: by
        -Id, by -Name or as a role object piped in from Get-AibRoleDefinition. Before
        deleting, it lists the role assignments that use the role at its assignable scopes;
        while any exist it refuses with a ResourceExists error that names each assignment's
        id, so you can remove them first (Get-AibRoleAssignment -RoleDefinitionId <id> |
        Remove-AibRoleAssignment). Built-in roles are never deleted.
        It asks for confirmation first (ConfirmImpact High); -Force or -Confirm:$false skip
        the prompt.

    .PARAMETER Id
        The role's GUID or its full role definition id.

    .PARAMETER Name
        The custom role's name, matched exactly but case-insensitively.

    .PARAMETER Scope
        The scope to look the role up at. Defaults to the connected subscription, or to the
        scope inside a full id given to -Id.

    .PARAMETER InputObject
        A role object, as Get-AibRoleDefinition returns. Binds from the pipeline.

    .PARAMETER Force
        Deletes without asking, unless -Confirm is also given. It never deletes a role that
        assignments still use.

    .PARAMETER PassThru
        Writes the deleted role definition.

    .EXAMPLE
        Remove-AibRoleDefinition -Name 'Image Builder aib-images' -Force

        Deletes the custom role without a prompt, unless an assignment still
        uses it.

    .EXAMPLE
        Get-AibRoleDefinition -Custom |
            Where-Object Name -like 'Test *' |
            Remove-AibRoleDefinition -WhatIf

        Shows which test roles would be deleted, and which are still assigned,
        without deleting any.

    .OUTPUTS
        AibPermissions.RoleDefinition, with -PassThru only.

    .LINK
        Get-AibRoleDefinition

    .LINK
        Remove-AibRoleAssignment
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'Id')]
    [OutputType('AibPermissions.RoleDefinition')]
    param (
        [Parameter(Mandatory, ParameterSetName = 'Id', ValueFromPipelineByPropertyName)]
        [AllowEmptyString()]
        [string] $Id,

        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Name')]
        [AllowEmptyString()]
        [string] $Name,

        [Parameter(ParameterSetName = 'Id')]
        [Parameter(ParameterSetName = 'Name')]
        [string] $Scope,

        [Parameter(Mandatory, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [PSTypeName('AibPermissions.RoleDefinition')]
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
        $scopeText = $Scope
        $roleGuid = $null
        switch ($PSCmdlet.ParameterSetName) {
            'Id' {
                $idText = $Id
            }
            'InputObject' {
                $idText = [string](Get-AibProperty -InputObject $InputObject -Name 'ResourceId')
                if (-not $idText) {
                    $idText = [string](Get-AibProperty -InputObject $InputObject -Name 'Id')
                }
            }
        }
        if ($PSCmdlet.ParameterSetName -ne 'Name') {
            $roleGuid = ($idText -split '/')[-1]
            $isFullId = $idText -match '^(?<scope>/.*)?/providers/Microsoft\.Authorization/roleDefinitions/[^/]+$'
            if (-not (Test-AibGuid -Value $roleGuid) -or ($idText.Contains('/') -and -not $isFullId)) {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message "Id must be a role definition GUID or a full role definition id; got '$idText'." -Field 'Id' -Target $idText))
                return
            }
            if (-not $scopeText -and $isFullId -and $Matches['scope']) {
                $scopeText = $Matches['scope']
            }
        } elseif ([string]::IsNullOrWhiteSpace($Name)) {
            $PSCmdlet.WriteError((New-AibErrorRecord -Message 'Name is empty.' -Field 'Name' -Target $Name))
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

        try {
            if ($roleGuid) {
                Write-Verbose "[Remove-AibRoleDefinition] reading role definition $roleGuid at $scopeText"
                $role = Invoke-AibNative -Operation 'roleDefinition.get' -Request ([ordered]@{ scope = $scopeText; name = $roleGuid })
            } else {
                Write-Verbose "[Remove-AibRoleDefinition] looking up role definition '$Name' at $scopeText"
                $list = Invoke-AibNative -Operation 'roleDefinition.list' -Request ([ordered]@{ scope = $scopeText; roleName = $Name })
                $matching = @(Get-AibProperty -InputObject $list -Name 'value' | Where-Object {
                        $null -ne $_ -and [string]::Equals([string]$_.roleName, $Name, [System.StringComparison]::OrdinalIgnoreCase)
                    })
                if ($matching.Count -eq 0) {
                    $exception = New-Object -TypeName System.Management.Automation.ItemNotFoundException -ArgumentList "No role definition named '$Name' is visible at $scopeText."
                    $PSCmdlet.WriteError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'RoleDefinitionDoesNotExist', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $Name))
                    return
                }
                $role = $matching[0]
            }
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $scopeText))
            return
        }
        $roleGuid = [string](Get-AibProperty -InputObject $role -Name 'name')
        $roleName = [string](Get-AibProperty -InputObject $role -Name 'roleName')
        if ([string](Get-AibProperty -InputObject $role -Name 'roleType') -eq 'BuiltInRole') {
            $PSCmdlet.WriteError((New-AibErrorRecord -Message "'$roleName' is a built-in role; only custom roles can be deleted." -Field 'Id' -Target $roleGuid))
            return
        }
        $assignableScopes = @(Get-AibProperty -InputObject $role -Name 'assignableScopes' | Where-Object { $_ })

        # Assignments of a role lie at or below one of its assignable scopes.
        $inUse = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($assignable in $assignableScopes) {
            Write-Verbose "[Remove-AibRoleDefinition] listing role assignments at and below $assignable"
            try {
                $assignments = Invoke-AibNative -Operation 'roleAssignment.list' -Request ([ordered]@{ scope = $assignable })
            } catch [AibPermissions.NativeException] {
                $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $assignable))
                return
            }
            foreach ($assignment in @(Get-AibProperty -InputObject $assignments -Name 'value')) {
                if ($null -eq $assignment) {
                    continue
                }
                $usesRole = ([string]$assignment.roleDefinitionId -split '/')[-1] -eq $roleGuid
                if ($usesRole -and -not $inUse.Contains([string]$assignment.id)) {
                    $inUse.Add([string]$assignment.id)
                }
            }
        }
        if ($inUse.Count -gt 0) {
            $message = "Role definition '$roleName' ($roleGuid) is still used by $($inUse.Count) role assignment(s): $($inUse -join ', '). Remove them first."
            $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $message
            $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'RoleDefinitionHasAssignments', ([System.Management.Automation.ErrorCategory]::ResourceExists), $inUse.ToArray()
            $record.ErrorDetails = New-Object -TypeName System.Management.Automation.ErrorDetails -ArgumentList $message
            $record.ErrorDetails.RecommendedAction = "Get-AibRoleAssignment -RoleDefinitionId $roleGuid -Scope <scope> | Remove-AibRoleAssignment, then run this command again."
            $PSCmdlet.WriteError($record)
            return
        }

        $deleteScope = $scopeText
        if ($assignableScopes.Count -gt 0) {
            $deleteScope = $assignableScopes[0]
        }
        if (-not $PSCmdlet.ShouldProcess("role definition '$roleName' ($roleGuid)", 'Remove role definition')) {
            return
        }
        Write-Verbose "[Remove-AibRoleDefinition] deleting role definition $roleGuid at $deleteScope"
        try {
            $result = Invoke-AibNative -Operation 'roleDefinition.delete' -Request ([ordered]@{ scope = $deleteScope; name = $roleGuid }) -Activity "Deleting role definition '$roleName'"
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $roleGuid))
            return
        }
        if ((Get-AibProperty -InputObject $result -Name 'outcome') -eq 'NotFound') {
            Write-Warning "[Remove-AibRoleDefinition] role definition '$roleName' ($roleGuid) was already gone."
        }
        if ($PassThru) {
            ConvertTo-AibRoleDefinitionOutput -Role $role
        }
    }
}
