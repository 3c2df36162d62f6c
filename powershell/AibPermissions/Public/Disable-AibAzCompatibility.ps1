function Disable-AibAzCompatibility {
    <#
    .SYNOPSIS
        Removes the Az names Enable-AibAzCompatibility made.

    .DESCRIPTION
        Disable-AibAzCompatibility removes each global alias or stand-in function of an Az
        name (such as New-AzRoleAssignment) that runs this module's command, so the Az names
        resolve as before: to Az's cmdlets when Az is loaded or installed, otherwise to
        nothing. Aliases and functions of the same names that are not this module's are left
        alone. Running it when nothing is enabled does nothing.

    .PARAMETER PassThru
        Returns one object per Az name removed.

    .EXAMPLE
        Disable-AibAzCompatibility

        Stops sending Az command names to this module.

    .EXAMPLE
        Disable-AibAzCompatibility -WhatIf

        Lists the Az names that would be removed, without removing them.

    .OUTPUTS
        AibPermissions.AzCompatibility, with -PassThru: one per Az name removed, with Name,
        Target and Kind (Alias or Function).

    .LINK
        Enable-AibAzCompatibility
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType('AibPermissions.AzCompatibility')]
    param (
        [switch] $PassThru
    )

    foreach ($entry in Get-AibAzCommandMap) {
        $marker = "# AibPermissions Az compatibility: $($entry.AibName)"
        $alias = Get-Alias -Name $entry.AzName -Scope Global -ErrorAction Ignore
        $function = Get-Item -Path "Function:\$($entry.AzName)" -ErrorAction Ignore
        if ($alias -and $alias.Definition -eq $entry.AibName) {
            $path = "Alias:\$($entry.AzName)"
            $kind = 'Alias'
        } elseif ($function -and $function.Definition.StartsWith($marker)) {
            $path = "Function:\$($entry.AzName)"
            $kind = 'Function'
        } else {
            if ($alias -or $function) {
                Write-Verbose "[Disable-AibAzCompatibility] keeping $($entry.AzName): it is not this module's"
            }
            continue
        }
        if (-not $PSCmdlet.ShouldProcess($entry.AzName, 'Stop running ' + $entry.AibName)) {
            continue
        }
        Write-Verbose "[Disable-AibAzCompatibility] removing $($entry.AzName)"
        # Remove-Alias is missing from Windows PowerShell 5.1; the provider works on both.
        Remove-Item -Path $path -Force
        if ($PassThru) {
            [pscustomobject]@{
                PSTypeName = 'AibPermissions.AzCompatibility'
                Name       = $entry.AzName
                Target     = $entry.AibName
                Kind       = $kind
            }
        }
    }
}
