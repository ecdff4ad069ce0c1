"""The macOS app's Info.plist entries (PyInstaller's BUNDLE writes them into
``reviewapp.app/Contents/Info.plist``): its identity, and ``.rvpack`` files as documents it
opens, so that a double-clicked pack opens in reviewapp."""

from __future__ import annotations

from typing import Any

BUNDLE_ID = "org.reviewapp.ReviewApp"
PACK_TYPE = "org.reviewapp.rvpack"
PACK_MIME = "application/x-reviewapp-pack"


def info_plist(version: str) -> dict[str, Any]:
    return {
        "CFBundleName": "reviewapp",
        "CFBundleDisplayName": "reviewapp",
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "NSHighResolutionCapable": True,
        "LSMinimumSystemVersion": "12.0",
        "NSHumanReadableCopyright": "MIT licence",
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "reviewapp review pack",
                "CFBundleTypeRole": "Editor",
                "LSHandlerRank": "Owner",
                "LSItemContentTypes": [PACK_TYPE],
                "CFBundleTypeExtensions": ["rvpack"],
            }
        ],
        # The pack's own type (a ZIP underneath), declared by the app that owns it.
        "UTExportedTypeDeclarations": [
            {
                "UTTypeIdentifier": PACK_TYPE,
                "UTTypeDescription": "reviewapp review pack",
                "UTTypeConformsTo": ["public.data", "public.zip-archive"],
                "UTTypeTagSpecification": {
                    "public.filename-extension": ["rvpack"],
                    "public.mime-type": [PACK_MIME],
                },
            }
        ],
    }
