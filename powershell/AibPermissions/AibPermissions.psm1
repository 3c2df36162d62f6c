Set-StrictMode -Version Latest

# Session state: the native client handle, the connected context and a started emulator.
$script:AibSession = @{
    Client   = [IntPtr]::Zero
    Context  = $null
    Emulator = $null
}
$script:AibModuleRoot = $PSScriptRoot

foreach ($folder in 'Private', 'Public') {
    $files = Get-ChildItem -Path (Join-Path -Path $PSScriptRoot -ChildPath $folder) -Filter '*.ps1' -File
    foreach ($file in $files) {
        . $file.FullName
    }
}

$manifest = Import-PowerShellDataFile -Path (Join-Path -Path $PSScriptRoot -ChildPath 'AibPermissions.psd1')
$manifestVersion = $manifest.ModuleVersion
Import-AibNativeLibrary -ModuleRoot $PSScriptRoot -ExpectedVersion $manifestVersion
Register-AibArgumentCompleter

$MyInvocation.MyCommand.ScriptBlock.Module.OnRemove = {
    Clear-AibSession
}
