function Get-AibCompletion {
    # Completion results of one kind for the word typed so far. Never throws.
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [ValidateSet('Location', 'ResourceGroup', 'Identity', 'RoleDefinition', 'Scenario', 'Subscription', 'Scope', 'ObjectType', 'Environment')]
        [string] $Kind,

        [AllowEmptyString()]
        [AllowNull()]
        [string] $WordToComplete,

        [AllowNull()]
        [System.Collections.IDictionary] $FakeBoundParameters
    )

    try {
        $ProgressPreference = 'SilentlyContinue'
        $WarningPreference = 'SilentlyContinue'
        $typed = "$WordToComplete".Trim('''', '"')
        if ($null -eq $FakeBoundParameters) { $FakeBoundParameters = @{} }

        $candidates = switch ($Kind) {
            'Scenario' { Get-AibScenarioName | ForEach-Object { @{ Value = $_; Tip = "AIB scenario $_" } } }
            'ObjectType' { 'ServicePrincipal', 'User', 'Group', 'ForeignGroup', 'Device' | ForEach-Object { @{ Value = $_; Tip = $_ } } }
            'Environment' { 'AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment' | ForEach-Object { @{ Value = $_; Tip = $_ } } }
            'Subscription' {
                $sub = Get-AibCompletionSubscription -FakeBoundParameters @{}
                if ($sub) { @{ Value = $sub; Tip = 'subscription of the connected context' } }
            }
            'Location' {
                $sub = Get-AibCompletionSubscription -FakeBoundParameters $FakeBoundParameters
                if ($sub) {
                    Get-AibCompletionList -Key "location|$sub" -Operation 'location.list' -Request @{ subscriptionId = $sub } |
                        ForEach-Object { @{ Value = $_.name; Tip = $_.displayName } }
                }
            }
            'ResourceGroup' {
                $sub = Get-AibCompletionSubscription -FakeBoundParameters $FakeBoundParameters
                if ($sub) {
                    Get-AibCompletionList -Key "group|$sub" -Operation 'resourceGroup.list' -Request @{ subscriptionId = $sub } |
                        ForEach-Object { @{ Value = $_.name; Tip = "$($_.name) ($($_.location))" } }
                }
            }
            'Scope' {
                $sub = Get-AibCompletionSubscription -FakeBoundParameters $FakeBoundParameters
                if ($sub) {
                    @{ Value = "/subscriptions/$sub"; Tip = 'the subscription' }
                    Get-AibCompletionList -Key "group|$sub" -Operation 'resourceGroup.list' -Request @{ subscriptionId = $sub } |
                        ForEach-Object { @{ Value = $_.id; Tip = "resource group $($_.name)" } }
                }
            }
            'Identity' {
                $sub = Get-AibCompletionSubscription -FakeBoundParameters $FakeBoundParameters
                if ($sub) {
                    $request = @{ subscriptionId = $sub }
                    $group = $FakeBoundParameters['ResourceGroupName']
                    if ($group) { $request.resourceGroupName = [string]$group }
                    Get-AibCompletionList -Key "identity|$sub|$group" -Operation 'identity.list' -Request $request |
                        ForEach-Object { @{ Value = $_.name; Tip = "$($_.name) ($($_.resourceGroupName))" } }
                }
            }
            'RoleDefinition' {
                $scope = Get-AibCompletionScope -FakeBoundParameters $FakeBoundParameters
                if ($scope) {
                    Get-AibCompletionList -Key "role|$($scope.ToLowerInvariant())" -Operation 'roleDefinition.list' -Request @{ scope = $scope } |
                        ForEach-Object { @{ Value = $_.roleName; Tip = "$($_.roleName) ($($_.roleType))" } }
                }
            }
        }

        foreach ($candidate in @($candidates | Where-Object { $_ -and $_.Value -and $_.Value -like "$typed*" } | Sort-Object -Property { $_.Value } -Unique)) {
            $text = [string]$candidate.Value
            if ($text -match '[\s''"`$;,(){}|&@#<>]') {
                $text = "'" + $text.Replace("'", "''") + "'"
            }
            New-Object -TypeName System.Management.Automation.CompletionResult -ArgumentList $text, ([string]$candidate.Value), 'ParameterValue', ([string]$candidate.Tip)
        }
    } catch {
        # A completer stays silent: no list is better than an error at the prompt.
        $null = $_
    }
}
