# Shared by the unit tests: imports the staged module and makes native exceptions.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Module commands do not see the caller's preference variables; make their errors terminate.
$PSDefaultParameterValues = @{ '*-Aib*:ErrorAction' = 'Stop' }
Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1') -Force

$script:SubscriptionId = '00000000-0000-0000-0000-0000000000aa'
$script:PrincipalId = '11111111-2222-3333-4444-555555555555'

function New-TestNativeException {
    param (
        [string] $StatusName = 'INVALID_ARGUMENT',
        [uint32] $Status = 103,
        [int] $HttpStatus = 0,
        [string] $ArmCode,
        [string] $Target
    )
    $arguments = @($Status, $StatusName, "test failure $StatusName", $HttpStatus, $ArmCode, 'req-1', $Target, $null, '{}')
    New-Object -TypeName AibPermissions.NativeException -ArgumentList $arguments
}

function Reset-TestSession {
    # Forget any fake client handle a test put into the session, so removing the module
    # never hands it to the native library.
    InModuleScope -ModuleName AibPermissions {
        $script:AibSession.Client = [IntPtr]::Zero
        $script:AibSession.Context = $null
        $script:AibSession.Emulator = $null
    }
}

function Set-TestContext {
    param ([string] $SubscriptionId)
    InModuleScope -ModuleName AibPermissions -Parameters @{ Sub = $SubscriptionId } {
        param ($Sub)
        $script:AibSession.Context = [pscustomobject]@{ SubscriptionId = $Sub; ArmEndpoint = 'https://127.0.0.1:1' }
    }
}
