function Register-AibArgumentCompleter {
    # Registers tab completion for every public command by parameter name, so a command
    # added later gets the same completion. Completers are fast (lists are read once per
    # session and connection, then served from a cache), never prompt and never throw:
    # on failure they return nothing.
    [CmdletBinding()]
    param ()

    $publicDir = Join-Path -Path $script:AibModuleRoot -ChildPath 'Public'
    $commandNames = Get-ChildItem -Path $publicDir -Filter '*.ps1' -File | ForEach-Object { $_.BaseName }

    $completers = @{
        'Location'           = { param ($c, $p, $w, $a, $f) Get-AibCompletion -Kind Location -WordToComplete $w -FakeBoundParameters $f }
        'ResourceGroupName'  = { param ($c, $p, $w, $a, $f) Get-AibCompletion -Kind ResourceGroup -WordToComplete $w -FakeBoundParameters $f }
        'IdentityName'       = { param ($c, $p, $w, $a, $f) Get-AibCompletion -Kind Identity -WordToComplete $w -FakeBoundParameters $f }
        'RoleDefinitionName' = { param ($c, $p, $w, $a, $f) Get-AibCompletion -Kind RoleDefinition -WordToComplete $w -FakeBoundParameters $f }
        'Scenario'           = { param ($c, $p, $w, $a, $f) Get-AibCompletion -Kind Scenario -WordToComplete $w -FakeBoundParameters $f }
        'SubscriptionId'     = { param ($c, $p, $w, $a, $f) Get-AibCompletion -Kind Subscription -WordToComplete $w -FakeBoundParameters $f }
        'Scope'              = { param ($c, $p, $w, $a, $f) Get-AibCompletion -Kind Scope -WordToComplete $w -FakeBoundParameters $f }
        'ObjectType'         = { param ($c, $p, $w, $a, $f) Get-AibCompletion -Kind ObjectType -WordToComplete $w -FakeBoundParameters $f }
        'Environment'        = { param ($c, $p, $w, $a, $f) Get-AibCompletion -Kind Environment -WordToComplete $w -FakeBoundParameters $f }
    }
    $identityNameCompleter = $completers['IdentityName']
    $groupCompleter = $completers['ResourceGroupName']

    foreach ($commandName in $commandNames) {
        $command = Get-Command -Name $commandName -CommandType Function -ErrorAction SilentlyContinue
        if (-not $command) { continue }
        foreach ($parameterName in @($command.Parameters.Keys)) {
            $block = $null
            if ($completers.ContainsKey($parameterName)) {
                $block = $completers[$parameterName]
            } elseif ($parameterName -like '*ResourceGroupName') {
                # -ImageResourceGroupName, -GalleryResourceGroupName, ...
                $block = $groupCompleter
            } elseif ($parameterName -eq 'Name' -and $commandName -like '*-AibUserAssignedIdentity') {
                $block = $identityNameCompleter
            } elseif ($parameterName -eq 'Name' -and $commandName -like '*-AibRoleDefinition') {
                $block = $completers['RoleDefinitionName']
            }
            if ($block) {
                Register-ArgumentCompleter -CommandName $commandName -ParameterName $parameterName -ScriptBlock $block
            }
        }
    }
}

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

function Get-AibCompletionSubscription {
    # The subscription a completion lists from: -SubscriptionId typed on the line, else the
    # connected context's.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [System.Collections.IDictionary] $FakeBoundParameters
    )

    if ($FakeBoundParameters -and $FakeBoundParameters['SubscriptionId']) {
        return [string]$FakeBoundParameters['SubscriptionId']
    }
    $context = $script:AibSession.Context
    if ($null -ne $context -and $context.PSObject.Properties['SubscriptionId'] -and $context.SubscriptionId) {
        return [string]$context.SubscriptionId
    }
    return $null
}

function Get-AibCompletionScope {
    # The scope whose role definitions -RoleDefinitionName completes: -Scope, else the
    # resource group typed on the line, else the subscription.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [System.Collections.IDictionary] $FakeBoundParameters
    )

    if ($FakeBoundParameters -and $FakeBoundParameters['Scope']) {
        return ([string]$FakeBoundParameters['Scope']).TrimEnd('/')
    }
    $sub = Get-AibCompletionSubscription -FakeBoundParameters $FakeBoundParameters
    if (-not $sub) { return $null }
    if ($FakeBoundParameters -and $FakeBoundParameters['ResourceGroupName']) {
        return "/subscriptions/$sub/resourceGroups/$([string]$FakeBoundParameters['ResourceGroupName'])"
    }
    return "/subscriptions/$sub"
}

function Get-AibCompletionList {
    # The items of a list operation, read once per session and connection and then
    # served from the cache. Returns nothing when not connected or on any failure
    # (failures are not cached, so the next Tab tries again).
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [string] $Key,

        [Parameter(Mandatory)]
        [string] $Operation,

        [Parameter(Mandatory)]
        [hashtable] $Request
    )

    if ($script:AibSession.Client -eq [IntPtr]::Zero) { return }
    if (-not $script:AibSession.ContainsKey('CompletionCache') -or $null -eq $script:AibSession.CompletionCache) {
        $script:AibSession.CompletionCache = @{}
    }
    $context = $script:AibSession.Context
    $endpoint = ''
    if ($null -ne $context -and $context.PSObject.Properties['ArmEndpoint']) { $endpoint = [string]$context.ArmEndpoint }
    # A new connection has a new client handle, so it reads the lists afresh.
    $cacheKey = "$($script:AibSession.Client)|$endpoint|$Key"
    $cache = $script:AibSession.CompletionCache
    if (-not $cache.ContainsKey($cacheKey)) {
        try {
            $result = Invoke-AibNative -Operation $Operation -Request $Request -ErrorAction Stop
        } catch {
            return
        }
        $items = @()
        if ($null -ne $result -and $result.PSObject.Properties['value']) { $items = @($result.value) }
        $cache[$cacheKey] = $items
    }
    $cache[$cacheKey]
}
