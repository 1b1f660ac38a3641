"""Coordinates: PTV gives ETRS-TM35FIN (EPSG:3067) metres, the manual keeps WGS84 degrees."""

from functools import cache

from pyproj import Transformer


@cache
def _tm35fin_to_wgs84():
    # always_xy: (easting, northing) in, (longitude, latitude) out, whatever the CRS axis order.
    return Transformer.from_crs("EPSG:3067", "EPSG:4326", always_xy=True)


def tm35fin_to_wgs84(northing, easting):
    """(latitude, longitude) in WGS84 degrees, rounded to 6 decimals (about 0.1 m)."""
    longitude, latitude = _tm35fin_to_wgs84().transform(float(easting), float(northing))
    return round(latitude, 6), round(longitude, 6)
