function Disable-AibAzCompatibility {
    <#
    .SYNOPSIS
        Removes the Az-named aliases Enable-AibAzCompatibility made.

    .DESCRIPTION
        Disable-AibAzCompatibility removes each global alias of an Az name (such as
        New-AzRoleAssignment) that runs this module's command, so the Az names resolve as
        before: to Az's cmdlets when Az is loaded or installed, otherwise to nothing. Aliases
        of the same names that point elsewhere are left alone. Running it when nothing is
        enabled does nothing.

    .PARAMETER PassThru
        Returns each alias that was removed, as it was before removal.

    .EXAMPLE
        Disable-AibAzCompatibility

        Stops sending Az command names to this module.

    .EXAMPLE
        Disable-AibAzCompatibility -WhatIf

        Lists the aliases that would be removed, without removing them.

    .OUTPUTS
        System.Management.Automation.AliasInfo, with -PassThru: one per removed alias.

    .LINK
        Enable-AibAzCompatibility
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType([System.Management.Automation.AliasInfo])]
    param (
        [switch] $PassThru
    )

    foreach ($entry in Get-AibAzCommandMap) {
        $existing = Get-Alias -Name $entry.AzName -Scope Global -ErrorAction Ignore
        if (-not $existing) {
            continue
        }
        if ($existing.Definition -ne $entry.AibName) {
            Write-Verbose "[Disable-AibAzCompatibility] keeping $($entry.AzName): it points to '$($existing.Definition)'"
            continue
        }
        if (-not $PSCmdlet.ShouldProcess("alias $($entry.AzName)", 'Remove')) {
            continue
        }
        Write-Verbose "[Disable-AibAzCompatibility] removing $($entry.AzName)"
        # Remove-Alias is missing from Windows PowerShell 5.1; the global alias drive works on both.
        Remove-Item -LiteralPath "Alias:\$($entry.AzName)" -Force
        if ($PassThru) { $existing }
    }
}
