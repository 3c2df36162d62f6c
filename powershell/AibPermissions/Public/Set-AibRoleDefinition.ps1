function Set-AibRoleDefinition {
    <#
    .SYNOPSIS
        Updates an existing custom role definition from a role file or a role object.

    .DESCRIPTION
        Set-AibRoleDefinition replaces an existing custom role's name, description, permissions
        and assignable scopes, as Set-AzRoleDefinition does. The role is identified by its Id
        (GUID or full id), which the file or object must carry.
        The existing role is looked up by that Id at the scopes where it lives now (its
        ResourceId's scope, then each new assignable scope and its subscription), so changing
        AssignableScopes works: the role is found even when none of the new scopes held it.
        A role that exists nowhere is an error (use New-AibRoleDefinition to create one). An
        update that changes nothing reports Action = Unchanged and writes nothing.

    .PARAMETER InputFile
        A role definition JSON file in the flat Az format or the Permissions format, with Id.

    .PARAMETER Role
        A role object, such as the output of Get-AibRoleDefinition with changed properties.
        Binds from the pipeline.

    .EXAMPLE
        $role = Get-AibRoleDefinition -Name 'Image Builder aib-images'
        $role.Actions += 'Microsoft.Compute/disks/read'
        $role | Set-AibRoleDefinition

        Adds an action to a custom role.

    .EXAMPLE
        Set-AibRoleDefinition -InputFile ./aibRoleImageCreation.json -WhatIf

        Shows which role would be updated from the file, without changing it.

    .OUTPUTS
        AibPermissions.RoleDefinition, with Action = Updated or Unchanged.

    .LINK
        Get-AibRoleDefinition

    .LINK
        New-AibRoleDefinition
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'InputFile')]
    [OutputType('AibPermissions.RoleDefinition')]
    param (
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'InputFile')]
        [string] $InputFile,

        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Role', ValueFromPipeline)]
        [object] $Role
    )

    process {
        if ($PSCmdlet.ParameterSetName -eq 'InputFile') {
            $path = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($InputFile)
            if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message "InputFile '$path' does not exist." -Field 'InputFile' -Target $path))
                return
            }
            $fileBytes = [System.IO.File]::ReadAllBytes($path)
            $target = $path
            $knownScope = $null
        } else {
            if ([string]::IsNullOrWhiteSpace([string](Get-AibProperty -InputObject $Role -Name 'Name'))) {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message 'The role has no Name.' -Field 'Name' -Target $Role))
                return
            }
            $fileBytes = ConvertTo-AibRoleFileBytes -Role $Role
            $target = [string](Get-AibProperty -InputObject $Role -Name 'Name')
            $knownScope = $null
            $resourceId = [string](Get-AibProperty -InputObject $Role -Name 'ResourceId')
            if ($resourceId -match '^(?<scope>/.*)?/providers/Microsoft\.Authorization/roleDefinitions/[^/]+$') {
                $knownScope = $Matches['scope']
            }
        }
        try {
            $parsed = Invoke-AibNative -Operation 'role_file_parse' -RequestBytes $fileBytes -Offline
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $target))
            return
        }
        $definition = $parsed.role
        $roleGuid = [string](Get-AibProperty -InputObject $definition -Name 'name')
        if (-not (Test-AibGuid -Value $roleGuid)) {
            $message = 'The role has no Id. Set-AibRoleDefinition updates an existing role by its Id; use New-AibRoleDefinition to create one.'
            $PSCmdlet.WriteError((New-AibErrorRecord -Message $message -Field 'Id' -Target $target))
            return
        }
        $roleName = [string](Get-AibProperty -InputObject $definition -Name 'roleName')
        $newScopes = @(Get-AibProperty -InputObject $definition -Name 'assignableScopes' | Where-Object { $_ })

        # Where the role lives now: its own id's scope first, then each new assignable scope
        # and its subscription. Looking only at the new scopes would miss a role whose scopes
        # are being moved.
        # Limit: a role moved to another subscription is found only through its ResourceId
        # or the connected subscription.
        $candidates = New-Object -TypeName System.Collections.Generic.List[string]
        $addCandidate = {
            param ($scopeText)
            if ($scopeText -and -not ($candidates | Where-Object { $_.TrimEnd('/') -eq $scopeText.TrimEnd('/') })) {
                $candidates.Add($scopeText)
            }
        }
        & $addCandidate $knownScope
        foreach ($scopeText in $newScopes) {
            & $addCandidate $scopeText
        }
        foreach ($scopeText in $newScopes) {
            if ($scopeText -match '^(?<sub>/subscriptions/[^/]+)') {
                & $addCandidate $Matches['sub']
            }
        }
        & $addCandidate ((Resolve-AibSubscriptionId) | Where-Object { $_ } | ForEach-Object { "/subscriptions/$_" })

        $existing = $null
        foreach ($scopeText in $candidates) {
            Write-Verbose "[Set-AibRoleDefinition] looking for role definition $roleGuid at $scopeText"
            try {
                $existing = Invoke-AibNative -Operation 'roleDefinition.get' -Request ([ordered]@{ scope = $scopeText; name = $roleGuid })
                break
            } catch [AibPermissions.NativeException] {
                $notHere = $_.Exception.HttpStatus -eq 404 -or $_.Exception.ArmCode -in @('SubscriptionNotFound', 'ResourceGroupNotFound')
                if (-not $notHere) {
                    $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $scopeText))
                    return
                }
            }
        }
        if ($null -eq $existing) {
            $exception = New-Object -TypeName System.Management.Automation.ItemNotFoundException -ArgumentList "No role definition with Id $roleGuid exists at $($candidates -join ', '). Use New-AibRoleDefinition to create it."
            $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'RoleDefinitionDoesNotExist', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $roleGuid
            $PSCmdlet.WriteError($record)
            return
        }
        if ([string](Get-AibProperty -InputObject $existing -Name 'roleType') -eq 'BuiltInRole') {
            $PSCmdlet.WriteError((New-AibErrorRecord -Message "Role definition $roleGuid is a built-in role; only custom roles can be changed." -Field 'Id' -Target $roleGuid))
            return
        }
        $oldScopes = @(Get-AibProperty -InputObject $existing -Name 'assignableScopes' | Where-Object { $_ })

        $what = "role definition '$roleName' ($roleGuid), assignable at $($newScopes -join ', ')"
        if (-not $PSCmdlet.ShouldProcess($what, 'Update role definition')) {
            return
        }
        Write-Verbose "[Set-AibRoleDefinition] updating ${roleGuid}: scopes $($oldScopes -join ', ') -> $($newScopes -join ', ')"
        try {
            $result = Invoke-AibNative -Operation 'roleDefinition.ensure' -Request @{ role = $definition } -Activity "Updating role definition '$roleName'"
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $target))
            return
        }
        $output = ConvertTo-AibRoleDefinitionOutput -Role $result
        if ($output.Action -eq 'Created') {
            # Written at a scope that did not hold it before: for the caller it is an update
            # of the role found above.
            $output.Action = 'Updated'
        }
        Write-Verbose "[Set-AibRoleDefinition] $($output.Action): $($output.ResourceId)"
        $output
    }
}
