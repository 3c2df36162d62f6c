function Get-AibAzStandInDefinition {
    # The body of a global function standing in for an Az command whose confirm impact is
    # Medium while the Aib command's is High. It takes the Aib command's parameters, declares
    # Medium, and forwards everything; unless -Confirm is given or $ConfirmPreference is
    # Medium or lower (when Az would ask too), it passes -Confirm:$false so the call does not
    # stop at a prompt Az would not show. The first line marks it as this module's.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory)]
        [System.Management.Automation.CommandInfo] $Command
    )

    $metadata = New-Object -TypeName System.Management.Automation.CommandMetadata -ArgumentList $Command
    $metadata.ConfirmImpact = [System.Management.Automation.ConfirmImpact]::Medium
    $proxy = [System.Management.Automation.ProxyCommand]::Create($metadata)
    $skipPrompt = @'
    if (-not $PSBoundParameters.ContainsKey('Confirm') -and @('High', 'None') -contains [string]$ConfirmPreference) {
        $PSBoundParameters['Confirm'] = $false
    }
'@
    $pattern = New-Object -TypeName System.Text.RegularExpressions.Regex -ArgumentList '(?m)^begin\r?\n\{\r?\n'
    $proxy = $pattern.Replace($proxy, { param ($match) $match.Value + $skipPrompt + [Environment]::NewLine }, 1)
    "# AibPermissions Az compatibility: $($Command.Name)" + [Environment]::NewLine + $proxy
}
