# Shared by the integration tests: the staged module against a real emulator.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Module commands do not see the caller's preference variables; make their errors terminate.
$PSDefaultParameterValues = @{ '*-Aib*:ErrorAction' = 'Stop' }
Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1') -Force

function Get-EmulatorState {
    # The emulator's whole state from its control endpoint, TLS checked against its own CA.
    param ([Parameter(Mandatory)] [object] $Emulator)
    $curl = Get-Command -Name curl -CommandType Application | Select-Object -First 1
    $json = & $curl.Source --silent --show-error --fail --cacert $Emulator.CaCertificatePath "$($Emulator.ControlEndpoint)/state"
    if ($LASTEXITCODE -ne 0) {
        throw "reading $($Emulator.ControlEndpoint)/state failed with curl exit code $LASTEXITCODE"
    }
    ($json -join "`n") | ConvertFrom-Json
}

function New-TestResourceGroup {
    # Resource groups are set up through the library's setup operation.
    param (
        [Parameter(Mandatory)] [string] $SubscriptionId,
        [Parameter(Mandatory)] [string] $Name
    )
    InModuleScope -ModuleName AibPermissions -Parameters @{ Sub = $SubscriptionId; Rg = $Name } {
        param ($Sub, $Rg)
        $null = Invoke-AibNative -Operation 'resourceGroup.createOrUpdate' -Request @{ subscriptionId = $Sub; resourceGroupName = $Rg; location = 'westus2' }
    }
}
