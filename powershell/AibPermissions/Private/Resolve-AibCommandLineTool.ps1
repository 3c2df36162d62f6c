function Resolve-AibCommandLineTool {
    # The full path of a command line tool (az, azd) as the current session's PATH finds it, so the
    # native library runs the same program the user would (PATH changes made in PowerShell do
    # not reach native code on Linux and macOS). Throws a terminating error when it is missing.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory)]
        [string] $Name,

        [Parameter(Mandatory)]
        [string] $Field,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $tool = Get-Command -Name $Name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $tool) {
        $message = "'$Name' is not on the PATH: install it and sign in, or choose another token source."
        $Cmdlet.ThrowTerminatingError((New-AibErrorRecord -Message $message -Field $Field -Target $Name))
    }
    $tool.Source
}
