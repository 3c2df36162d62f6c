function Get-AibScenarioName {
    # The scenario names the library generates roles for (docs/native-interface.md).
    [CmdletBinding()]
    [OutputType([string[]])]
    param ()

    @(
        'ImageCreation'
        'Networking'
        'ManagedImageDistribution'
        'GalleryDistribution'
        'ManagedImageSource'
        'GallerySource'
        'ExistingVirtualNetwork'
        'BuildVmIdentity'
        'StorageScripts'
        'StagingResourceGroup'
    )
}
