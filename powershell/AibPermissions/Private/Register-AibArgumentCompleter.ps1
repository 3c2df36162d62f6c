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
