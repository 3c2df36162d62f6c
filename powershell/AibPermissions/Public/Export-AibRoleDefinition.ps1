function Export-AibRoleDefinition {
    <#
    .SYNOPSIS
        Writes the role definition file for an Image Builder scenario, without calling Azure.

    .DESCRIPTION
        Export-AibRoleDefinition generates the least-privilege role for a scenario at a resource
        group and writes it as a JSON file (UTF-8 without BOM) in either Az format: Flat (Name,
        IsCustom, Description, Actions, NotActions, AssignableScopes, as the documented Image
        Builder sample files) or Permissions. The file works with New-AzRoleDefinition
        -InputFile and with New-AibRoleDefinition -InputFile. It needs no connection. An
        existing file is replaced only with -Force.

    .PARAMETER Scenario
        The Image Builder scenario: ImageCreation, Networking, ManagedImageDistribution,
        GalleryDistribution, ManagedImageSource, GallerySource, ExistingVirtualNetwork,
        BuildVmIdentity, StorageScripts or StagingResourceGroup.

    .PARAMETER SubscriptionId
        The subscription of the resource group the role is assignable at. Defaults to the
        connected context's.

    .PARAMETER ResourceGroupName
        The resource group the role is assignable at.

    .PARAMETER RoleName
        A role name to use instead of the deterministic default.

    .PARAMETER Path
        The file to write.

    .PARAMETER Format
        Flat (default, the format of the documented sample files) or Permissions.

    .PARAMETER Force
        Replaces an existing file.

    .EXAMPLE
        Export-AibRoleDefinition -Scenario ImageCreation `
            -SubscriptionId $sub -ResourceGroupName 'aib-images' `
            -Path ./aibRoleImageCreation.json

        Writes the image creation role file with the actions of the documented
        sample, placeholders filled in.

    .EXAMPLE
        Export-AibRoleDefinition -Scenario Networking -SubscriptionId $sub `
            -ResourceGroupName 'aib-network' -Path ./networking.json `
            -Format Permissions -Force

        Writes the networking role in the Permissions format, replacing an older
        file.

    .OUTPUTS
        System.IO.FileInfo. The file written.

    .LINK
        New-AibRoleDefinition
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType([System.IO.FileInfo])]
    param (
        [Parameter(Mandatory)]
        [AllowEmptyString()]
        [string] $Scenario,

        [string] $SubscriptionId,

        [Parameter(Mandatory)]
        [string] $ResourceGroupName,

        [AllowEmptyString()]
        [string] $RoleName,

        [Parameter(Mandatory)]
        [string] $Path,

        [ValidateSet('Flat', 'Permissions')]
        [string] $Format = 'Flat',

        [switch] $Force
    )

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

    $fullPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($Path)
    if ((Test-Path -LiteralPath $fullPath) -and -not $Force) {
        $exception = New-Object -TypeName System.IO.IOException -ArgumentList "'$fullPath' exists; pass -Force to replace it."
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'FileExists', ([System.Management.Automation.ErrorCategory]::ResourceExists), $fullPath
        $PSCmdlet.WriteError($record)
        return
    }
    try {
        $bytes = Invoke-AibNative -Operation 'role_file_render' -Request @{ role = $definition; format = $Format } -Offline -Raw
    } catch [AibPermissions.NativeException] {
        $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $Scenario))
        return
    }

    if (-not $PSCmdlet.ShouldProcess($fullPath, "Write $Format role definition file for $Scenario")) {
        return
    }
    Write-Verbose "[Export-AibRoleDefinition] writing $fullPath"
    [System.IO.File]::WriteAllBytes($fullPath, $bytes)
    Get-Item -LiteralPath $fullPath
}
