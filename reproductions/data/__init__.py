"""Data: the physics-based simulator and real-data loaders, all returning ``SliceSet``."""

from reproductions.data.loaders import load_dicom_folder, load_medmnist, load_nifti_folder, load_path
from reproductions.data.simulator import SimConfig, simulate
from reproductions.data.sliceset import SliceSet, Splits, split_by_subject, unpaired_halves

__all__ = ["SimConfig", "simulate", "SliceSet", "Splits", "split_by_subject", "unpaired_halves",
           "load_nifti_folder", "load_dicom_folder", "load_medmnist", "load_path"]
