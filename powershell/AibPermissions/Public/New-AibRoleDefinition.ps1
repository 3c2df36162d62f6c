function New-AibRoleDefinition {
    <#
    .SYNOPSIS
        Creates a custom role definition for an Image Builder scenario, from a role file or from a role object.

    .DESCRIPTION
        New-AibRoleDefinition makes sure a custom role exists with exactly the permissions given,
        and returns it with Action = Created, Updated or Unchanged. Its GUID and default name are
        derived from the scope and name, so running it again finds the same role instead of
        creating a second one.
        With -Scenario it generates the least-privilege role for an Image Builder scenario at a
        resource group. With -InputFile it reads a role file in either Az format (flat
        Actions/NotActions or Permissions blocks). With -Role it takes an object shaped like
        Az's PSRoleDefinition. Input is checked before anything is sent: an unknown scenario,
        an empty role name, a malformed file or an action with a mistyped provider stops with an
        InvalidArgument error naming the field.

    .PARAMETER Scenario
        The Image Builder scenario: ImageCreation, Networking, ManagedImageDistribution,
        GalleryDistribution, ManagedImageSource, GallerySource, ExistingVirtualNetwork,
        BuildVmIdentity, StorageScripts or StagingResourceGroup.

    .PARAMETER SubscriptionId
        The subscription of the scenario's resource group. Defaults to the connected context's.

    .PARAMETER ResourceGroupName
        The resource group the scenario's role is assignable at.

    .PARAMETER RoleName
        A role name to use instead of the deterministic default. Role names are unique in the
        directory; use this when the default clashes with a role you do not own.

    .PARAMETER InputFile
        A role definition JSON file in the flat Az format or the Permissions format. It is the
        first positional argument, as in New-AzRoleDefinition.

    .PARAMETER Role
        A role object with Name, Description, Actions, NotActions, DataActions, NotDataActions
        and AssignableScopes, such as the output of this command or of Get-AzRoleDefinition.

    .EXAMPLE
        New-AibRoleDefinition -Scenario ImageCreation `
            -ResourceGroupName 'aib-images'

        Creates the role Image Builder needs to write images into the aib-images
        resource group.

    .EXAMPLE
        New-AibRoleDefinition -InputFile ./aibRoleNetworking.json

        Creates the role described by an Az role file; running it again reports
        Unchanged.

    .EXAMPLE
        $role = New-AibRoleDefinition -Scenario Networking `
            -ResourceGroupName 'aib-network' -WhatIf

        Checks the input and shows what would be created, without calling Azure.

    .OUTPUTS
        AibPermissions.RoleDefinition. Name, Id (GUID), IsCustom, Description, Actions, NotActions,
        DataActions, NotDataActions, AssignableScopes as in Az's PSRoleDefinition, plus Action
        (Created, Updated or Unchanged) and ResourceId (the full ARM id).

    .LINK
        Export-AibRoleDefinition

    .LINK
        New-AibRoleAssignment
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Scenario')]
    [OutputType('AibPermissions.RoleDefinition')]
    param (
        [Parameter(Mandatory, ParameterSetName = 'Scenario')]
        [AllowEmptyString()]
        [string] $Scenario,

        [Parameter(ParameterSetName = 'Scenario')]
        [string] $SubscriptionId,

        [Parameter(Mandatory, ParameterSetName = 'Scenario')]
        [string] $ResourceGroupName,

        [Parameter(ParameterSetName = 'Scenario')]
        [AllowEmptyString()]
        [string] $RoleName,

        [Parameter(Mandatory, Position = 0, ParameterSetName = 'InputFile')]
        [string] $InputFile,

        [Parameter(Mandatory, ParameterSetName = 'Role')]
        [object] $Role
    )

    switch ($PSCmdlet.ParameterSetName) {
        'Scenario' {
            $splat = @{
                Caller            = $PSCmdlet
                Scenario          = $Scenario
                SubscriptionId    = $SubscriptionId
                ResourceGroupName = $ResourceGroupName
                RoleName          = $RoleName
                RoleNameGiven     = $PSBoundParameters.ContainsKey('RoleName')
            }
            $definition = New-AibScenarioRole @splat
            if ($null -eq $definition) {
                return
            }
            $target = $Scenario
        }
        'InputFile' {
            $path = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($InputFile)
            if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message "InputFile '$path' does not exist." -Field 'InputFile' -Target $path))
                return
            }
            $fileBytes = [System.IO.File]::ReadAllBytes($path)
            $target = $path
        }
        'Role' {
            if ([string]::IsNullOrWhiteSpace([string](Get-AibProperty -InputObject $Role -Name 'Name'))) {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message 'The role has no Name.' -Field 'Name' -Target $Role))
                return
            }
            $fileBytes = ConvertTo-AibRoleFileBytes -Role $Role
            $target = [string](Get-AibProperty -InputObject $Role -Name 'Name')
        }
    }
    if ($PSCmdlet.ParameterSetName -ne 'Scenario') {
        # Role files and role objects take the same offline checks: JSON shape, names,
        # action strings and provider namespaces, scopes.
        try {
            $parsed = Invoke-AibNative -Operation 'role_file_parse' -RequestBytes $fileBytes -Offline
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $target))
            return
        }
        $definition = $parsed.role
    }

    $roleName = Get-AibProperty -InputObject $definition -Name 'roleName'
    $scopes = @(Get-AibProperty -InputObject $definition -Name 'assignableScopes')
    $what = "role definition '$roleName' at $($scopes -join ', ')"
    if (-not $PSCmdlet.ShouldProcess($what, 'Create or update role definition')) {
        return
    }
    Write-Verbose "[New-AibRoleDefinition] ensuring $what"
    try {
        $result = Invoke-AibNative -Operation 'roleDefinition.ensure' -Request @{ role = $definition } -Activity "Creating role definition '$roleName'"
    } catch [AibPermissions.NativeException] {
        $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $target))
        return
    }
    Write-Verbose "[New-AibRoleDefinition] $($result.outcome): $($result.id)"
    ConvertTo-AibRoleDefinitionOutput -Role $result
}
