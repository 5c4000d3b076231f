# momq::torch: libtorch without the CUDA toolkit link line that TorchConfig adds.
#
# A CUDA build of libtorch (the PyPI wheel's) lists the system's CUDA runtime and NVRTC among its
# link libraries; linking those puts a second, older CUDA runtime beside the one libtorch_cuda
# loads from the wheel's own nvidia/ folders. We link only torch's own libraries and let
# libtorch_cuda find its CUDA libraries through its RPATH, as it does inside Python.
set(_momq_torch_lib "${TORCH_INSTALL_PREFIX}/lib")
add_library(momq_torch INTERFACE)
add_library(momq::torch ALIAS momq_torch)
target_include_directories(momq_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
separate_arguments(_momq_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
target_compile_options(momq_torch INTERFACE ${_momq_torch_flags})

set(_momq_rpath_link "${_momq_torch_lib}")
file(GLOB _momq_nvidia_dirs LIST_DIRECTORIES true "${TORCH_INSTALL_PREFIX}/../nvidia/*/lib")
list(APPEND _momq_rpath_link ${_momq_nvidia_dirs})
list(JOIN _momq_rpath_link ":" _momq_rpath_link)

set(MOMQ_TORCH_CUDA OFF)
set(_momq_torch_libs "${_momq_torch_lib}/libtorch.so" "${_momq_torch_lib}/libtorch_cpu.so" "${_momq_torch_lib}/libc10.so")
if(EXISTS "${_momq_torch_lib}/libtorch_cuda.so")
  set(MOMQ_TORCH_CUDA ON)
  # --no-as-needed: nothing refers to libtorch_cuda by symbol, but loading it registers the CUDA
  # kernels and device.
  list(APPEND _momq_torch_libs "-Wl,--no-as-needed" "${_momq_torch_lib}/libtorch_cuda.so"
       "${_momq_torch_lib}/libc10_cuda.so" "-Wl,--as-needed")
endif()
target_link_libraries(momq_torch INTERFACE ${_momq_torch_libs})

# ATen's at::parallel_for is a header template around `#pragma omp parallel`: compiled without
# OpenMP it runs every range on one thread. Our kernels compile with OpenMP and link the libgomp
# the wheel ships (the one libtorch_cpu loads), so that one OpenMP runtime and thread pool serve both.
find_package(OpenMP REQUIRED COMPONENTS CXX)
target_compile_options(momq_torch INTERFACE $<$<COMPILE_LANGUAGE:CXX>:${OpenMP_CXX_FLAGS}>)
if(EXISTS "${_momq_torch_lib}/libgomp.so.1")
  target_link_libraries(momq_torch INTERFACE "${_momq_torch_lib}/libgomp.so.1")
else()
  target_link_libraries(momq_torch INTERFACE OpenMP::OpenMP_CXX)
endif()
target_link_options(momq_torch INTERFACE "LINKER:-rpath-link,${_momq_rpath_link}"
                    "LINKER:-rpath,${_momq_torch_lib}")
message(STATUS "MoMQ: libtorch ${Torch_VERSION} from ${TORCH_INSTALL_PREFIX} (CUDA: ${MOMQ_TORCH_CUDA})")
