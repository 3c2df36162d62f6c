function New-AibScenarioRole {
    # Generates a scenario's role definition offline, after checking the input in PowerShell.
    # Returns the library's RoleDefinition JSON object, or writes an InvalidArgument error
    # through the calling command and returns nothing.
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [AllowEmptyString()]
        [string] $Scenario,

        [AllowEmptyString()]
        [AllowNull()]
        [string] $SubscriptionId,

        [AllowEmptyString()]
        [string] $ResourceGroupName,

        [AllowNull()]
        [string] $RoleName,

        [bool] $RoleNameGiven
    )

    $known = Get-AibScenarioName
    if ($known -notcontains $Scenario) {
        $message = "Scenario '$Scenario' is unknown. Known scenarios: $($known -join ', ')."
        $Caller.WriteError((New-AibErrorRecord -Message $message -Field 'Scenario' -Target $Scenario))
        return
    }
    $subscription = Resolve-AibSubscriptionId -SubscriptionId $SubscriptionId
    if (-not (Test-AibGuid -Value $subscription)) {
        $message = "SubscriptionId must be a GUID; pass -SubscriptionId or connect with one. Got '$subscription'."
        $Caller.WriteError((New-AibErrorRecord -Message $message -Field 'SubscriptionId' -Target $subscription))
        return
    }
    if ($RoleNameGiven -and [string]::IsNullOrWhiteSpace($RoleName)) {
        $Caller.WriteError((New-AibErrorRecord -Message 'RoleName is empty; give a name or leave -RoleName out for the deterministic default.' -Field 'RoleName' -Target $RoleName))
        return
    }

    $request = [ordered]@{
        scenario          = $Scenario
        subscriptionId    = $subscription
        resourceGroupName = $ResourceGroupName
    }
    if ($RoleNameGiven) {
        $request.roleName = $RoleName
    }
    try {
        Invoke-AibNative -Operation 'role_generate' -Request $request -Offline
    } catch [AibPermissions.NativeException] {
        $Caller.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $Scenario))
    }
}
